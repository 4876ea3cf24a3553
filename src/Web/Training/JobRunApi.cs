using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Identity;

namespace WebApp.Web.Training;

public static class JobRunApi
{
    /// <summary>Read-only JSON access to job runs for scripts; Admin only.</summary>
    public static void MapJobRunApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/job-runs").RequireAuthorization(Roles.Admin);
        group.MapGet("/{id:guid}", async (Guid id, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
            return run is null ? Results.NotFound() : Results.Ok(run);
        });
        group.MapGet("/", async (IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct, int take = 50) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return Results.Ok(await db.JobRuns.AsNoTracking().OrderByDescending(r => r.CreatedAt)
                .Take(Math.Clamp(take, 1, 500)).ToListAsync(ct));
        });
    }
}
