using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Testing;
using WebApp.Web.Sequences.Curation;

// Usage: SequenceWorkbench [repetitions] [tiny]   (TEST_PG_CONNECTION: a PostgreSQL superuser connection)
// Loads the HDFS training file (4,855 sequences) into a fresh database with an LDA-like ensemble k = 2…8 (35 topics,
// a mixture for every sequence and model), then times (1) page loads through HTTP with a signed-in curator's cookie
// (the server-side render of each page, which runs the page's queries) and (2) the workbench's actions through the
// service methods, each followed by the reload of the workbench view the page does after it. Prints table rows.
internal static partial class SequenceWorkbenchBenchmark
{
    private const string Password = "Bench-Password-42!";

    public static async Task Main(string[] args)
    {
        var repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var tiny = args.Length > 1 && args[1] == "tiny";
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WEBAPP_WEB", Path.Combine(RepositoryPaths.Root, "src", "Web"));
        await using var database = await TestDatabase.CreateAsync();
        await database.InstallHangfireSchemaAsync();
        await using var app = new BenchApp(database.ConnectionString);
        var services = app.Services;
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        int datasetId;
        Guid runId;
        var setup = Stopwatch.StartNew();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            datasetId = await SyntheticSequences.LoadHdfsAsync(db, "HDFS bench", tiny);
            runId = await SyntheticSequences.CreateEnsembleAsync(db, datasetId, [2, 3, 4, 5, 6, 7, 8]);
        }
        Console.Error.WriteLine($"setup {setup.Elapsed.TotalSeconds:F1} s");
        var curation = services.GetRequiredService<CurationService>();
        var queries = services.GetRequiredService<CurationQueries>();
        var curator = new AuditActor(null, "bench-curator");

        // A draft shaped as a curator would: four categories from topics of k = 4 and 8, one hand-moved sequence.
        var cold = Stopwatch.StartNew();
        var start = await curation.StartDraftAsync(datasetId, runId, null, curator);
        var coldStart = cold.Elapsed.TotalMilliseconds;
        var draftId = start.ClusteringId!.Value;
        var version = start.RowVersion;
        var topics = (await queries.TopicsAsync(datasetId, runId))!.Ensemble!.Topics;
        var k4 = topics.Where(t => t.TopicCount == 4).ToList();
        var k8 = topics.Where(t => t.TopicCount == 8).ToList();
        version = Check(await curation.CreateCategoryAsync(draftId, version, "A", "", [k4[0].Id], curator));
        version = Check(await curation.CreateCategoryAsync(draftId, version, "B", "", [k4[1].Id, k8[1].Id], curator));
        version = Check(await curation.CreateCategoryAsync(draftId, version, "C", "", [k4[2].Id], curator));
        version = Check(await curation.CreateCategoryAsync(draftId, version, "D", "", [k8[3].Id, k8[7].Id], curator));
        var other = Check2(await curation.StartDraftAsync(datasetId, runId, null, curator));
        Check(await curation.CreateCategoryAsync(other, (await queries.ClusteringsAsync(datasetId)).Single(c => c.Id == other).RowVersion,
            "X", "", [k4[3].Id], curator));
        var clusters = await ClusterIdsAsync(dbFactory, draftId);
        long sequenceId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            sequenceId = await db.EventSequences.Where(s => s.DatasetId == datasetId).OrderBy(s => s.Ordinal).Select(s => s.Id).FirstAsync();
        }

        var client = await SignInAsync(app);
        var rows = new List<string>();
        async Task Time(string name, string how, Func<int, Task> action)
        {
            for (var i = 0; i < 3; i++) await action(-1 - i); // warm-up
            var timings = new List<double>();
            for (var i = 0; i < repetitions; i++)
            {
                var clock = Stopwatch.StartNew();
                await action(i);
                timings.Add(clock.Elapsed.TotalMilliseconds);
            }
            var sorted = timings.Order().ToArray();
            static double Percentile(double[] values, double p) => values[Math.Min(values.Length - 1, (int)Math.Ceiling(p * values.Length) - 1)];
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {how} | {sorted.Length} | {Percentile(sorted, 0.5):F1} | {Percentile(sorted, 0.95):F1} | {sorted[^1]:F1} |"));
        }
        async Task Page(string path)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {response.StatusCode}");
            await response.Content.ReadAsStringAsync();
        }
        // What the page does after each decision: reload the view (silhouette follows in the background).
        async Task Reload() => _ = await queries.WorkbenchAsync(datasetId, draftId);

        await Time("Dataset overview page", "HTTP GET", _ => Page($"/sequences/{datasetId}"));
        await Time("Topics page (heatmap of 35 topics + a topic's sequences)", "HTTP GET", i => Page($"/sequences/{datasetId}/topics?topic={topics[Math.Abs(i) % topics.Count].Id}"));
        await Time("Workbench page (draft, 5 cards)", "HTTP GET", _ => Page($"/sequences/{datasetId}/clusterings/{draftId}"));
        await Time("Compare page (contingency + ARI)", "HTTP GET", _ => Page($"/sequences/{datasetId}/compare?a={draftId}&b={other}"));
        await Time("Rename a category", "service + view", async i =>
        {
            version = Check(await curation.RenameCategoryAsync(draftId, version, clusters[1], $"A{i}", curator));
            await Reload();
        });
        var hasTopic = false;
        await Time("Add / remove a topic (reassigns all)", "service + view", async _ =>
        {
            version = Check(hasTopic
                ? await curation.RemoveTopicAsync(draftId, version, clusters[3], k8[5].Id, curator)
                : await curation.AddTopicAsync(draftId, version, clusters[3], k8[5].Id, curator));
            hasTopic = !hasTopic;
            await Reload();
        });
        await Time("Change the threshold (reassigns all)", "service + view", async i =>
        {
            version = Check(await curation.SetThresholdAsync(draftId, version, i % 2 == 0 ? 0.4 : 0.3, curator));
            await Reload();
        });
        await Time("Move a sequence", "service + view", async i =>
        {
            version = Check(await curation.MoveSequenceAsync(draftId, version, sequenceId, clusters[1 + Math.Abs(i) % 3], curator));
            await Reload();
        });
        await Time("Create a category from a topic", "service + view", async i =>
        {
            version = Check(await curation.CreateCategoryAsync(draftId, version, $"Tmp{i}", "", [k8[6].Id], curator));
            await Reload();
        });
        // Undoes the creations above, one per run.
        await Time("Undo", "service + view", async _ =>
        {
            version = Check(await curation.UndoAsync(draftId, version, curator));
            await Reload();
        });
        await Time("Pattern search (^ 22 * 21 $)", "service", _ => queries.SearchAsync(datasetId, draftId, "^ 22 * 21 $"));
        await Time("Threshold change + silhouette of the new state (uncached)", "service", async i =>
        {
            version = Check(await curation.SetThresholdAsync(draftId, version, i % 2 == 0 ? 0.35 : 0.3, curator));
            _ = await queries.QualityAsync(draftId);
        });
        await Time("Save version", "service", async _ =>
        {
            var saved = await curation.SaveVersionAsync(draftId, version, curator);
            version = Check(saved);
        });

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold: first draft on a fresh cache (sequences + 34k mixtures loaded) {coldStart:F0} ms"));
        foreach (var row in rows) Console.WriteLine(row);
    }

    private static uint Check(CurationResult result) =>
        result.Succeeded ? result.RowVersion : throw new InvalidOperationException(result.Error);

    private static int Check2(CurationResult result) =>
        result.Succeeded ? result.ClusteringId!.Value : throw new InvalidOperationException(result.Error);

    private static async Task<int[]> ClusterIdsAsync(IDbContextFactory<AppDbContext> dbFactory, int clusteringId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Clusters.Where(c => c.ClusteringId == clusteringId).OrderBy(c => c.Index).Select(c => c.Id).ToArrayAsync();
    }

    private static async Task<HttpClient> SignInAsync(BenchApp app)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/account/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(page).Groups[1].Value,
            ["Input.Email"] = "curator@demo.local",
            ["Input.Password"] = Password,
        });
        var response = await client.PostAsync("/account/login", form);
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in failed: {response.StatusCode}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>The real web application on the benchmark's database, with the demo users.</summary>
    private sealed class BenchApp(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:App", connectionString);
            builder.UseSetting("Seed:Demo", "true");
            builder.UseSetting("Seed:DemoPassword", Password);
        }
    }
}
