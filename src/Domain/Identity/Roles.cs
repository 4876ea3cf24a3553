namespace WebApp.Domain.Identity;

/// <summary>The roles of the application; page and endpoint authorisation refer to these names.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Expert = "Expert";
    /// <summary>An expert who also decides the conflicts between experts' labels (adjudication).</summary>
    public const string LeadExpert = "LeadExpert";
    public const string Curator = "Curator";
    public const string Auditor = "Auditor";

    public static readonly IReadOnlyList<string> All = [Admin, Expert, LeadExpert, Curator, Auditor];

    // Admins may open every area; the other roles only their own. A lead expert is an expert too.
    public const string ExpertOrAdmin = Expert + "," + LeadExpert + "," + Admin;
    public const string LeadExpertOrAdmin = LeadExpert + "," + Admin;
    public const string CuratorOrAdmin = Curator + "," + Admin;
    public const string AuditorOrAdmin = Auditor + "," + Admin;
}
