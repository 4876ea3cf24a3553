using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebApp.Domain;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Auditing;
using WebApp.Domain.Database;
using WebApp.Domain.Identity;
using WebApp.Web.Admin;
using WebApp.Web.RelationExtraction;

namespace WebApp.Web.Identity;

/// <summary>The web is the one process that migrates; then it makes sure roles and configured users exist.</summary>
public static class DatabaseStartup
{
    public static async Task MigrateAndSeedAsync(IServiceProvider services, ILogger logger, CancellationToken ct = default)
    {
        await SchemaGate.MigrateAsync(services.GetRequiredService<IDbContextFactory<AppDbContext>>(), logger, ct);

        await using var scope = services.CreateAsyncScope();
        var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roleManager.RoleExistsAsync(role)) await roleManager.CreateAsync(new IdentityRole(role));
        }

        // The built-in assessment catalog, in every mode: a no-op once its version is stored.
        var catalog = await services.GetRequiredService<CatalogImporter>().ImportBuiltInAsync(ct);
        if (catalog.Imported)
        {
            logger.LogInformation("Imported the built-in assessment catalog {Key} version {Version}.", catalog.Catalog.Key, catalog.Catalog.Version);
        }

        var options = services.GetRequiredService<IOptions<SeedOptions>>().Value;
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var administration = services.GetRequiredService<UserAdministration>();
        var seeder = AuditActor.System("seed");

        if (!string.IsNullOrWhiteSpace(options.AdminEmail) && (await userManager.GetUsersInRoleAsync(Roles.Admin)).Count == 0)
        {
            if (string.IsNullOrWhiteSpace(options.AdminPassword))
            {
                throw new InvalidOperationException("Seed:AdminEmail is set but Seed:AdminPassword is not.");
            }
            await CreateOrFailAsync(administration, options.AdminEmail, "Administrator", options.AdminPassword, Roles.Admin, seeder, ct);
            logger.LogInformation("Created the first admin {Email} from configuration.", options.AdminEmail);
        }

        if (options.Demo)
        {
            if (string.IsNullOrWhiteSpace(options.DemoPassword))
            {
                throw new InvalidOperationException("Seed:Demo is on but Seed:DemoPassword is not set.");
            }
            foreach (var (email, name, role) in SeedOptions.DemoUsers)
            {
                if (await userManager.FindByEmailAsync(email) is null)
                {
                    await CreateOrFailAsync(administration, email, name, options.DemoPassword, role, seeder, ct);
                }
            }
            logger.LogInformation("Demo users: {Users}", string.Join(", ", SeedOptions.DemoUsers.Select(u => $"{u.Email} ({u.Role})")));
            if (!string.IsNullOrWhiteSpace(options.DemoData))
            {
                await services.GetRequiredService<RelationDemoSeeder>().SeedAsync(options.DemoData, ct);
                await services.GetRequiredService<WebApp.Web.Sequences.SequenceDemoSeeder>().SeedAsync(options.DemoData, ct);
            }
        }
    }

    private static async Task CreateOrFailAsync(UserAdministration administration, string email, string name,
        string password, string role, AuditActor actor, CancellationToken ct)
    {
        var errors = await administration.CreateAsync(email, name, password, [role], actor, ct);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Could not create {email}: {string.Join(" ", errors)}");
        }
    }
}
