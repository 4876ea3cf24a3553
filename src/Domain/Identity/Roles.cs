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
    /// <summary>Fills in trustworthiness assessments of an AI application (its developer or operator).</summary>
    public const string Assessee = "Assessee";
    /// <summary>The accountable body (e.g. an ethics board) whose sign-off closes an assessment and owns its residual risk.</summary>
    public const string AccountableAuthority = "AccountableAuthority";

    public static readonly IReadOnlyList<string> All = [Admin, Expert, LeadExpert, Curator, Auditor, Assessee, AccountableAuthority];

    // Admins may open every area; the other roles only their own. A lead expert is an expert too.
    public const string ExpertOrAdmin = Expert + "," + LeadExpert + "," + Admin;
    public const string LeadExpertOrAdmin = LeadExpert + "," + Admin;
    public const string CuratorOrAdmin = Curator + "," + Admin;
    public const string AuditorOrAdmin = Auditor + "," + Admin;
    public const string AssesseeOrAdmin = Assessee + "," + Admin;
    /// <summary>Everyone who takes part in assessments may read them; what each may change is checked per action.</summary>
    public const string AssessmentParticipants = Assessee + "," + Auditor + "," + AccountableAuthority + "," + Admin;
}
