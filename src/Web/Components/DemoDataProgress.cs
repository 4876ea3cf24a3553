using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Web.Components;

/// <summary>How far the local run's demo data has loaded: the job runs the demo seeders queued, and how many ended.</summary>
public sealed record DemoDataProgress(int Done, int Total, int Failed)
{
    /// <summary>Who the demo seeders queue their jobs as (<see cref="AuditActor.System"/>).</summary>
    public static readonly string SeederName = AuditActor.System("seed").Name;

    public bool Loading => Done < Total;

    /// <summary>The demo jobs' progress while any of them has not ended; null when there are none or all have ended.</summary>
    public static async Task<DemoDataProgress?> LoadingAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var statuses = await db.JobRuns.AsNoTracking().Where(r => r.RequestedByName == SeederName)
            .GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        var total = statuses.Sum(s => s.Count);
        var done = statuses.Where(s => s.Status is JobRunStatus.Succeeded or JobRunStatus.Failed or JobRunStatus.Cancelled).Sum(s => s.Count);
        var progress = new DemoDataProgress(done, total, statuses.Where(s => s.Status == JobRunStatus.Failed).Sum(s => s.Count));
        return progress.Loading ? progress : null;
    }
}
