namespace WebApp.Web.Identity;

/// <summary>Configuration section <c>Seed</c>. Nothing here has a default password.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>First admin, created once when no admin exists (any environment).</summary>
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }

    /// <summary>Local run only: one demo user per role, all with <see cref="DemoPassword"/>.</summary>
    public bool Demo { get; set; }
    public string? DemoPassword { get; set; }
    /// <summary>Local run only: the repository's <c>demo/</c> folder, whose datasets become demo projects.</summary>
    public string? DemoData { get; set; }

    public static readonly IReadOnlyList<(string Email, string Name, string Role)> DemoUsers =
    [
        ("admin@demo.local", "Ada Admin", WebApp.Domain.Identity.Roles.Admin),
        ("expert@demo.local", "Erin Expert", WebApp.Domain.Identity.Roles.Expert),
        ("leadexpert@demo.local", "Lee Lead", WebApp.Domain.Identity.Roles.LeadExpert),
        ("curator@demo.local", "Cody Curator", WebApp.Domain.Identity.Roles.Curator),
        ("auditor@demo.local", "Alex Auditor", WebApp.Domain.Identity.Roles.Auditor),
        ("assessee@demo.local", "Sam Assessee", WebApp.Domain.Identity.Roles.Assessee),
        ("authority@demo.local", "Bea Board", WebApp.Domain.Identity.Roles.AccountableAuthority),
    ];
}
