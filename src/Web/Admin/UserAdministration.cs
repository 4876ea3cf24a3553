using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Identity;

namespace WebApp.Web.Admin;

public sealed record UserSummary(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool LockedOut);

/// <summary>Creates users and changes their roles, each change with its audit record in one transaction.</summary>
/// <remarks>Takes a service scope per operation: Identity's stores use the scoped DbContext, and circuits outlive requests.</remarks>
public sealed class UserAdministration(IServiceScopeFactory scopes, AuditTrail audit)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roles = await (from userRole in db.UserRoles
                           join role in db.Roles on userRole.RoleId equals role.Id
                           select new { userRole.UserId, role.Name }).AsNoTracking().ToListAsync(ct);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        var now = DateTimeOffset.UtcNow;
        return users.Select(u => new UserSummary(u.Id, u.Email ?? "", u.DisplayName,
            rolesByUser[u.Id].Order().ToList(), u.LockoutEnd > now)).ToList();
    }

    /// <summary>Creates a user; returns the validation errors (empty on success).</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(
        string email, string displayName, string password, IReadOnlyCollection<string> roles, AuditActor actor,
        CancellationToken ct = default)
    {
        var errors = ValidateRoles(roles).ToList();
        if (string.IsNullOrWhiteSpace(email)) errors.Add("Email is required.");
        if (errors.Count > 0) return errors;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = new AppUser { UserName = email.Trim(), Email = email.Trim(), DisplayName = displayName.Trim(), EmailConfirmed = true };
        var created = await userManager.CreateAsync(user, password);
        if (!created.Succeeded) return created.Errors.Select(e => e.Description).ToList();
        var added = await userManager.AddToRolesAsync(user, roles);
        if (!added.Succeeded) return added.Errors.Select(e => e.Description).ToList();
        await audit.RecordAsync(db, actor, "user.created", nameof(AppUser), user.Id, null,
            new { user.Email, user.DisplayName, Roles = roles.Order().ToList() }, ct);
        await transaction.CommitAsync(ct);
        return [];
    }

    public async Task<IReadOnlyList<string>> SetRolesAsync(
        string userId, IReadOnlyCollection<string> roles, AuditActor actor, CancellationToken ct = default)
    {
        var errors = ValidateRoles(roles).ToList();
        if (errors.Count > 0) return errors;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await userManager.FindByIdAsync(userId);
        if (user is null) return ["The user no longer exists."];
        var current = await userManager.GetRolesAsync(user);
        if (userId == actor.UserId && current.Contains(Roles.Admin) && !roles.Contains(Roles.Admin))
        {
            return ["You cannot remove your own Admin role."];
        }
        var removed = await userManager.RemoveFromRolesAsync(user, current.Except(roles));
        var added = await userManager.AddToRolesAsync(user, roles.Except(current));
        var failure = removed.Errors.Concat(added.Errors).Select(e => e.Description).ToList();
        if (failure.Count > 0) return failure;
        await audit.RecordAsync(db, actor, "user.roles-changed", nameof(AppUser), user.Id,
            new { Roles = current.Order().ToList() }, new { Roles = roles.Order().ToList() }, ct);
        await transaction.CommitAsync(ct);
        return [];
    }

    private static IEnumerable<string> ValidateRoles(IReadOnlyCollection<string> roles)
    {
        if (roles.Count == 0) yield return "Choose at least one role.";
        foreach (var unknown in roles.Except(Roles.All)) yield return $"Unknown role '{unknown}'.";
    }
}
