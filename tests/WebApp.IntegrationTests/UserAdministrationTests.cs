using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Identity;
using WebApp.Web.Admin;

namespace WebApp.IntegrationTests;

public class UserAdministrationTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private UserAdministration Administration => app.Services.GetRequiredService<UserAdministration>();

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    private async Task<AuditActor> AdminAsync()
    {
        var admin = await QueryAsync(db => db.Users.SingleAsync(u => u.Email == "admin@demo.local"));
        return new AuditActor(admin.Id, admin.Email!);
    }

    [Fact]
    public async Task A_created_user_has_its_roles_and_an_audit_record_by_the_admin()
    {
        var actor = await AdminAsync();

        var errors = await Administration.CreateAsync("new.expert@example.org", "New Expert", "Strong-Password-1", [Roles.Expert, Roles.Curator], actor);

        Assert.Empty(errors);
        var user = (await Administration.ListAsync()).Single(u => u.Email == "new.expert@example.org");
        Assert.Equal([Roles.Curator, Roles.Expert], user.Roles);
        var record = await QueryAsync(db => db.AuditRecords.SingleAsync(r => r.Action == "user.created" && r.EntityId == user.Id));
        Assert.Equal(actor.UserId, record.UserId);
        Assert.Contains("new.expert@example.org", record.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weak_password_is_refused_with_reasons_and_nothing_is_written()
    {
        var auditCount = await QueryAsync(db => db.AuditRecords.CountAsync());

        var errors = await Administration.CreateAsync("weak@example.org", "Weak", "short", [Roles.Expert], await AdminAsync());

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains("at least 10 characters", StringComparison.Ordinal));
        Assert.False(await QueryAsync(db => db.Users.AnyAsync(u => u.Email == "weak@example.org")));
        Assert.Equal(auditCount, await QueryAsync(db => db.AuditRecords.CountAsync()));
    }

    [Fact]
    public async Task Unknown_or_missing_roles_are_refused()
    {
        Assert.Contains("Choose at least one role.", await Administration.CreateAsync("a@example.org", "A", "Strong-Password-1", [], await AdminAsync()));
        Assert.Contains("Unknown role 'Root'.", await Administration.CreateAsync("a@example.org", "A", "Strong-Password-1", ["Root"], await AdminAsync()));
    }

    [Fact]
    public async Task Changing_roles_is_audited_with_before_and_after()
    {
        var actor = await AdminAsync();
        await Administration.CreateAsync("promote@example.org", "P", "Strong-Password-1", [Roles.Expert], actor);
        var user = (await Administration.ListAsync()).Single(u => u.Email == "promote@example.org");

        Assert.Empty(await Administration.SetRolesAsync(user.Id, [Roles.Auditor], actor));

        Assert.Equal([Roles.Auditor], (await Administration.ListAsync()).Single(u => u.Id == user.Id).Roles);
        var record = await QueryAsync(db => db.AuditRecords.SingleAsync(r => r.Action == "user.roles-changed" && r.EntityId == user.Id));
        Assert.Contains(Roles.Expert, record.Before, StringComparison.Ordinal);
        Assert.Contains(Roles.Auditor, record.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_cannot_remove_their_own_admin_role()
    {
        var actor = await AdminAsync();

        var errors = await Administration.SetRolesAsync(actor.UserId!, [Roles.Expert], actor);

        Assert.Equal(["You cannot remove your own Admin role."], errors);
        Assert.Contains(Roles.Admin, (await Administration.ListAsync()).Single(u => u.Id == actor.UserId).Roles);
    }
}
