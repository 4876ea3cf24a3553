using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Training;
using WebApp.Web.Components;

namespace WebApp.IntegrationTests;

public class DemoDataTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task The_start_page_says_how_many_demo_jobs_are_done_until_all_have_ended()
    {
        var client = await app.ClientAsync("expert@demo.local");
        Assert.DoesNotContain("id=\"demo-loading\"", await client.GetStringAsync("/"), StringComparison.Ordinal);

        var factory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            foreach (var (status, by) in new[]
            {
                (JobRunStatus.Succeeded, DemoDataProgress.SeederName), (JobRunStatus.Failed, DemoDataProgress.SeederName),
                (JobRunStatus.Running, DemoDataProgress.SeederName), (JobRunStatus.Queued, DemoDataProgress.SeederName),
                (JobRunStatus.Queued, "admin@demo.local"), // someone's own job is not demo data
            })
            {
                db.JobRuns.Add(new JobRun { Id = Guid.NewGuid(), Kind = JobKinds.RelationImport, Status = status, RequestedByName = by, CreatedAt = DateTime.UtcNow });
            }
            await db.SaveChangesAsync();
        }

        var page = await client.GetStringAsync("/");
        Assert.Contains("id=\"demo-loading\"", page, StringComparison.Ordinal);
        Assert.Contains("Demo data is still loading:</b> 2 of 4 jobs done", page, StringComparison.Ordinal);
        Assert.Contains("1 failed.", page, StringComparison.Ordinal);

        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.JobRuns.Where(r => r.RequestedByName == DemoDataProgress.SeederName && !(r.Status == JobRunStatus.Succeeded || r.Status == JobRunStatus.Failed))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Succeeded));
        }
        Assert.DoesNotContain("id=\"demo-loading\"", await client.GetStringAsync("/"), StringComparison.Ordinal);
    }
}
