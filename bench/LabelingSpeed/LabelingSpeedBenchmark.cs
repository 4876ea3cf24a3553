using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Testing;
using WebApp.Web.RelationExtraction.Labeling;

// Usage: LabelingSpeed [experts] [labels-per-expert] [think-ms]   (TEST_PG_CONNECTION: a PostgreSQL superuser connection)
// Each simulated expert repeatedly submits a label and asks for the next item, as the labelling page does;
internal static class LabelingSpeedBenchmark
{
    public static async Task Main(string[] args)
    {
        // the figure is the server time from submit to the next item, the wait an expert feels between two items.
        var experts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var perExpert = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        // Reading time between two answers; 0 hammers the server (a stress test, not an expert).
        var thinkMs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;

        // WebApplicationFactory finds the web's content root from this; outside a test project nobody sets it.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WEBAPP_WEB", Path.Combine(RepositoryPaths.Root, "src", "Web"));
        await using var database = await TestDatabase.CreateAsync();
        await database.InstallHangfireSchemaAsync();
        await using var app = new BenchApp(database.ConnectionString);
        var services = app.Services;
        int projectId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "speed", pairs: experts * perExpert);
        }
        var queue = services.GetRequiredService<LabelingQueue>();
        var labeling = services.GetRequiredService<LabelingService>();
        int relation;
        await using (var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            relation = await db.RelationTypes.Where(r => r.ProjectId == projectId && !r.IsNa).Select(r => r.Id).FirstAsync();
            await AddActiveModelAsync(db, projectId, relation);
        }

        var timings = new System.Collections.Concurrent.ConcurrentBag<double>();
        var submitTimings = new System.Collections.Concurrent.ConcurrentBag<double>();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, experts).Select(async e =>
        {
            var user = new AuditActor($"expert-{e}", $"expert{e}@bench.local");
            var item = await queue.NextAsync(projectId, user);
            for (var i = 0; i < perExpert && item is not null; i++)
            {
                await Task.Delay(Random.Shared.Next(thinkMs / 2, thinkMs * 3 / 2 + 1));
                var clock = Stopwatch.StartNew();
                await labeling.SubmitAsync(projectId, item.CandidateId, relation, false, null, 1500, user);
                submitTimings.Add(clock.Elapsed.TotalMilliseconds);
                item = await queue.NextAsync(projectId, user);
                timings.Add(clock.Elapsed.TotalMilliseconds);
            }
        }));
        wall.Stop();

        var sorted = timings.Order().ToArray();
        var submits = submitTimings.Order().ToArray();
        static double Percentile(double[] values, double p) => values[Math.Min(values.Length - 1, (int)Math.Ceiling(p * values.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {experts} | {thinkMs:N0} | {sorted.Length:N0} | {Percentile(sorted, 0.5):F1} | {Percentile(sorted, 0.95):F1} | {Percentile(sorted, 0.99):F1} | {sorted[^1]:F1} | {Percentile(submits, 0.95):F1} | {sorted.Length / wall.Elapsed.TotalSeconds:F0} |"));
    }

    /// <summary>
    /// A model version with a prediction of random margin for every candidate, made active: the queue then walks
    /// the margin index as it does in production.
    /// </summary>
    private static async Task AddActiveModelAsync(AppDbContext db, int projectId, int relation)
    {
        var version = new WebApp.Domain.RelationExtraction.ModelVersion { ProjectId = projectId, Number = 1, Architecture = "pcnn", CreatedAt = DateTime.UtcNow };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Predictions" ("ModelVersionId", "CandidateId", "Probabilities", "TopRelationTypeId", "Confidence", "Margin", "Entropy")
            SELECT {version.Id}, c."Id", ARRAY[0.5, 0.5, 0]::real[], {relation}, 0.5 + m / 2, m, 0.7
            FROM (SELECT "Id", random()::real AS m FROM "Candidates" WHERE "ProjectId" = {projectId}) c
            """);
        await db.RelationProjects.Where(p => p.Id == projectId)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.ActiveModelVersionId, version.Id));
    }
}

/// <summary>The real web application's services on the benchmark's database (no HTTP involved).</summary>
internal sealed class BenchApp(string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:App", connectionString);
        // The per-label retraining check runs as in production; the threshold is never reached, so no job is queued.
        builder.UseSetting("Relations:RetrainEveryLabels", "1000000");
    }
}
