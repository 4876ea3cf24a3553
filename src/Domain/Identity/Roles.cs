namespace WebApp.Domain.Identity;

/// <summary>The four roles of the application; page and endpoint authorisation refer to these names.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Expert = "Expert";
    public const string Curator = "Curator";
    public const string Auditor = "Auditor";

    public static readonly IReadOnlyList<string> All = [Admin, Expert, Curator, Auditor];

    // Admins may open every area; the other roles only their own.
    public const string ExpertOrAdmin = Expert + "," + Admin;
    public const string CuratorOrAdmin = Curator + "," + Admin;
    public const string AuditorOrAdmin = Auditor + "," + Admin;
}
