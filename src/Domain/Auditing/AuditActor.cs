using System.Security.Claims;

namespace WebApp.Domain.Auditing;

/// <summary>Who made a change: a signed-in user, or a process such as a worker.</summary>
public sealed record AuditActor(string? UserId, string Name)
{
    public static AuditActor FromPrincipal(ClaimsPrincipal principal) =>
        new(principal.FindFirstValue(ClaimTypes.NameIdentifier),
            principal.Identity?.Name ?? "anonymous");

    public static AuditActor System(string process) => new(null, $"system:{process}");
}
