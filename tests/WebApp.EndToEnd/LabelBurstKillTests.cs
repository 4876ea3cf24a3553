using Microsoft.Playwright;
using WebApp.Domain.Auditing;
using WebApp.Testing;
using Xunit.Abstractions;

namespace WebApp.EndToEnd;

/// <summary>
/// The application for the kill test: no automatic retraining (the burst is about labels, and a training run
/// would only compete for the two cores) and item locks of a few seconds, so the killed sessions' locks run out
/// within the test.
/// </summary>
public sealed class KillableApp() : RunningApp(new Dictionary<string, string>
{
    ["Relations__RetrainEveryLabels"] = "0",
    ["Relations__LabelLockSeconds"] = KillableApp.LockSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
})
{
    public const int LockSeconds = 10;
}

public sealed class LabelBurstKillTests(KillableApp app, ITestOutputHelper output) : IClassFixture<KillableApp>
{
    private const int Pairs = 15; // 30 candidates
    private const int KillAfterLabels = 10;
    private const int MaxKeysPerPage = 40;
    private static readonly string[] Keys = ["1", "2", "0"];

    [Fact]
    public async Task The_web_killed_during_a_burst_of_labels_loses_no_acknowledged_label_and_the_expert_carries_on_after_a_restart()
    {
        int projectId;
        await using (var db = app.Database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "burst", Pairs);
        }
        var candidates = await app.Database.ScalarAsync<long>($"SELECT count(*) FROM \"Candidates\" WHERE \"ProjectId\" = {projectId}");

        // Three sessions labelling at once: the expert in two browsers, the admin in a third.
        var sessions = new List<(string Email, IPage Page)>();
        foreach (var email in new[] { "expert@demo.local", "expert@demo.local", "admin@demo.local" })
        {
            var page = await app.SignInAsync(email, $"/relations/{projectId}/label");
            await page.WaitForSelectorAsync("[data-candidate-id]");
            await Acknowledgements.StartRecordingAsync(page);
            sessions.Add((email, page));
        }

        // The burst: every session types ahead (a key every 20 ms, faster than labels commit), and the web is
        // killed with SIGKILL as soon as PostgreSQL holds KillAfterLabels labels, keys still arriving and waiting.
        using var killed = new CancellationTokenSource();
        var typing = sessions.Select(s => TypeUntilKilledAsync(s.Page, killed.Token)).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await LabelCountAsync(projectId) < KillAfterLabels)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The burst did not reach {KillAfterLabels} labels in 30 s.\n{app.Logs}");
            await Task.Delay(5);
        }
        app.KillWeb();
        await killed.CancelAsync();
        var keysPressed = (await Task.WhenAll(typing)).Sum();

        // Everything the browsers were told is stored; the DOM of a page outlives its server.
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (email, page) in sessions)
        {
            foreach (var acknowledgement in await Acknowledgements.ReadAsync(page))
            {
                Assert.Equal("label", acknowledgement.Kind);
                Assert.True(acknowledged.Add($"{acknowledgement.CandidateId}:{email}"), $"Candidate {acknowledgement.CandidateId} acknowledged twice for {email}.");
            }
            await page.Context.CloseAsync();
        }
        var stored = await LabelsAsync(projectId);
        Assert.True(acknowledged.Count > 0, "No label was acknowledged before the kill.");
        Assert.True(stored.Count < keysPressed && stored.Count < candidates,
            $"The kill came after the burst: {stored.Count} labels stored, {keysPressed} keys pressed, {candidates} candidates.");
        output.WriteLine($"At the kill: {keysPressed} keys pressed, {stored.Count} labels stored, {acknowledged.Count} acknowledged.");
        Assert.Empty(acknowledged.Except(stored));
        await AssertEveryLabelHasItsAuditRecordAndTheChainVerifiesAsync(projectId);

        // The killed sessions' reading claims (locks) outlive them until they expire.
        var staleLocks = await app.Database.ScalarAsync<long[]>(
            $"SELECT array_agg(\"CandidateId\") FROM \"LabelingClaims\" WHERE \"ProjectId\" = {projectId} AND NOT \"IsLabelled\"") ?? [];
        Assert.NotEmpty(staleLocks);
        output.WriteLine($"Locks left by the killed sessions: {staleLocks.Length}.");
        var locksExpireAt = await app.Database.ScalarAsync<DateTime>($"SELECT max(\"ExpiresAt\") FROM \"LabelingClaims\" WHERE \"ProjectId\" = {projectId} AND NOT \"IsLabelled\"");
        var lastLabelBeforeRestart = await app.Database.ScalarAsync<long>($"SELECT coalesce(max(\"Id\"), 0) FROM \"ExpertLabels\" WHERE \"ProjectId\" = {projectId}");

        // A new web on the same database: the expert carries on at once (the queue hands out the free items).
        await app.RestartWebAsync();
        var expert = await app.SignInAsync("expert@demo.local", $"/relations/{projectId}/label");
        await expert.WaitForSelectorAsync("[data-candidate-id]");
        await Acknowledgements.StartRecordingAsync(expert);

        // Once the killed sessions' locks have run out, their items are handed out again: the expert labels
        // everything left, by keyboard, until the queue is empty.
        var wait = locksExpireAt - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
        var left = await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Candidates\" c WHERE c.\"ProjectId\" = {projectId} AND NOT EXISTS " +
            $"(SELECT 1 FROM \"ExpertLabels\" l WHERE l.\"CandidateId\" = c.\"Id\" AND l.\"Kind\" = 'Label')");
        for (var i = 0; i < left; i++) await expert.Keyboard.PressAsync(Keys[i % Keys.Length]);
        try
        {
            await expert.WaitForSelectorAsync("text=Nothing left to label", new PageWaitForSelectorOptions { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nStatus: {await expert.InnerTextAsync("#label-status")}\n{app.Logs}", e);
        }
        Assert.Equal(left, (await Acknowledgements.ReadAsync(expert)).Count);

        Assert.Equal(0, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Candidates\" c WHERE c.\"ProjectId\" = {projectId} AND NOT EXISTS " +
            $"(SELECT 1 FROM \"ExpertLabels\" l WHERE l.\"CandidateId\" = c.\"Id\" AND l.\"Kind\" = 'Label')"));
        Assert.Equal(0, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM unnest(ARRAY[{string.Join(',', staleLocks)}]::bigint[]) AS s(id) WHERE NOT EXISTS " +
            $"(SELECT 1 FROM \"ExpertLabels\" l WHERE l.\"CandidateId\" = s.id AND l.\"Kind\" = 'Label' AND l.\"Id\" > {lastLabelBeforeRestart})"));
        Assert.Equal(0, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM \"LabelingClaims\" WHERE \"ProjectId\" = {projectId} AND NOT \"IsLabelled\""));
        await AssertEveryLabelHasItsAuditRecordAndTheChainVerifiesAsync(projectId);
    }

    private static async Task<int> TypeUntilKilledAsync(IPage page, CancellationToken killed)
    {
        var pressed = 0;
        while (!killed.IsCancellationRequested && pressed < MaxKeysPerPage)
        {
            await page.Keyboard.PressAsync(Keys[pressed % Keys.Length]);
            pressed++;
            await Task.Delay(20, CancellationToken.None);
        }
        return pressed;
    }

    private Task<long> LabelCountAsync(int projectId) =>
        app.Database.ScalarAsync<long>($"SELECT count(*) FROM \"ExpertLabels\" WHERE \"ProjectId\" = {projectId}");

    /// <summary>The stored labels as "candidate:email".</summary>
    private async Task<HashSet<string>> LabelsAsync(int projectId) =>
        new(await app.Database.ScalarAsync<string[]>(
            $"SELECT coalesce(array_agg(l.\"CandidateId\" || ':' || u.\"Email\"), '{{}}') FROM \"ExpertLabels\" l " +
            $"JOIN \"AspNetUsers\" u ON u.\"Id\" = l.\"UserId\" WHERE l.\"ProjectId\" = {projectId} AND l.\"Kind\" = 'Label'") ?? [],
            StringComparer.Ordinal);

    private async Task AssertEveryLabelHasItsAuditRecordAndTheChainVerifiesAsync(int projectId)
    {
        // Exactly one "relations.labelled" record per label, and none for a label that is not there.
        Assert.Equal("0:0", await app.Database.ScalarAsync<string>(
            $"SELECT (SELECT count(*) FROM \"ExpertLabels\" l WHERE l.\"ProjectId\" = {projectId} AND l.\"Kind\" = 'Label' AND " +
            "(SELECT count(*) FROM \"AuditRecords\" a WHERE a.\"Action\" = 'relations.labelled' AND a.\"EntityType\" = 'ExpertLabel' AND a.\"EntityId\" = l.\"Id\"::text) <> 1)" +
            " || ':' || (SELECT count(*) FROM \"AuditRecords\" a WHERE a.\"Action\" = 'relations.labelled' AND NOT EXISTS " +
            "(SELECT 1 FROM \"ExpertLabels\" l WHERE a.\"EntityType\" = 'ExpertLabel' AND l.\"Id\"::text = a.\"EntityId\"))"));
        var verification = await new AuditChainVerifier(app.Database.CreateFactory()).VerifyAsync();
        Assert.True(verification.IsIntact, $"Audit chain broken at {verification.FirstBrokenRecordId}: {verification.Problem}");
        Assert.True(verification.RecordsChecked >= await LabelCountAsync(projectId));
    }
}
