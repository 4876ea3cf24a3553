using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebApp.Testing;

namespace WebApp.EndToEnd;

/// <summary>
/// Typing at full speed into a field the server follows keystroke by keystroke: every character reaches what is saved.
/// Each text is typed with no delay between keys, faster than the circuit's round trip, then saved the way a person
/// would (Enter, leaving the field, the Save button) and read back from the database or the reloaded page.
/// </summary>
public sealed class FastTypingJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    /// <summary>Typed with no delay: a round trip that wrote the server's older text back into the field would lose characters.</summary>
    private static string Text(string start) => (start + " typed at full speed, nothing lost here, every key").PadRight(59, '.')[..59] + ".";

    private static readonly LocatorPressSequentiallyOptions NoDelay = new() { Delay = 0 };

    [Fact]
    public async Task A_curator_types_category_names_a_description_and_a_search_pattern_at_full_speed_and_every_character_is_saved()
    {
        int datasetId;
        await using (var db = app.Database.CreateContext())
        {
            datasetId = await SyntheticSequences.LoadHdfsAsync(db, "Fast typing", tiny: true);
            await SyntheticSequences.CreateEnsembleAsync(db, datasetId, [2, 3]);
        }
        var page = await app.SignInAsync("curator@demo.local", $"/sequences/{datasetId}");
        try
        {
            await page.ClickAsync("#start-draft");
            await page.WaitForSelectorAsync("#workbench[data-ready='true']");
            await page.Locator("[data-test=topic-select]").First.CheckAsync();

            var name = Text("Long write sessions");
            var newName = page.Locator("#new-category-name");
            await TypeAsync(newName, name);
            await newName.PressAsync("Enter");
            var card = page.Locator($"[data-test=cluster-card][data-name='{name}']");
            await card.WaitForAsync();
            Assert.Equal("", await newName.InputValueAsync());

            var renamed = Text("Renamed quickly");
            var cardName = card.Locator("[data-test=category-name]");
            await cardName.FillAsync("");
            await TypeAsync(cardName, renamed);
            await cardName.PressAsync("Enter");
            card = page.Locator($"[data-test=cluster-card][data-name='{renamed}']");
            await card.WaitForAsync();

            var description = Text("Sessions that write for long");
            var cardDescription = card.Locator("[data-test=category-description]");
            await TypeAsync(cardDescription, description);
            await cardDescription.PressAsync("Tab");
            await page.WaitForSelectorAsync("#last-step:has-text('describe')");

            var pattern = Text("^ 5 22 ? 11 * 9");
            var patternInput = page.Locator("#pattern");
            await TypeAsync(patternInput, pattern);
            await patternInput.PressAsync("Enter");
            await page.WaitForSelectorAsync("#search-error, #search-empty, #search-count");
            Assert.Equal(pattern, await patternInput.InputValueAsync());

            await using var db = app.Database.CreateContext();
            var cluster = await db.Clusters.SingleAsync(c => c.Name == renamed);
            Assert.Equal(description, cluster.Description);
            var created = await db.AuditRecords.Where(r => r.Action == "sequences.category.create").Select(r => r.After).ToListAsync();
            Assert.Contains(created, after => after != null && after.Contains(name, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }
    }

    [Fact]
    public async Task An_admin_types_a_cron_expression_and_an_entity_search_at_full_speed_and_the_page_keeps_every_character()
    {
        int projectId;
        await using (var db = app.Database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "fast search", 30);
        }
        var page = await app.SignInAsync("admin@demo.local", $"/relations/{projectId}/candidates");
        try
        {
            // The entity filter searches as one types (debounced): the text stays what was typed.
            var search = Text("Entity whose name is long");
            var entity = page.Locator("#filter-entity");
            await TypeAndSettleAsync(entity, search); // past the debounce, and the reload of the table it starts

            // The cron field previews the next runs as one types.
            await page.GotoAsync("/admin/training/new");
            await page.WaitUntilInteractiveAsync();
            await page.ClickAsync("text=Recurring (cron, UTC)");
            var cron = page.Locator("#job-cron");
            await cron.FillAsync("");
            const string expression = "0,5,10,15,20,25,30,35,40,45,50,55 1,3,5,7,9,11,13,15 * * 1-5";
            await TypeAndSettleAsync(cron, expression);
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }
    }

    /// <summary>Types <paramref name="text"/> with no delay; the caller saves at once, as a person pressing Enter or Save would.</summary>
    private static Task TypeAsync(ILocator field, string text) => field.PressSequentiallyAsync(text, NoDelay);

    /// <summary>
    /// Types <paramref name="text"/> with no delay into a field the page follows as one types, then lets the circuit
    /// answer every keystroke: the field still shows exactly what was typed (no render of an earlier keystroke wrote
    /// older text back into it).
    /// </summary>
    private static async Task TypeAndSettleAsync(ILocator field, string text)
    {
        await field.PressSequentiallyAsync(text, NoDelay);
        await field.Page.WaitForTimeoutAsync(1500);
        Assert.Equal(text, await field.InputValueAsync());
    }

    [Fact]
    public async Task A_new_projects_name_typed_at_full_speed_right_after_opening_over_a_slow_network_is_saved_whole()
    {
        var page = await app.SignInAsync("admin@demo.local", "/relations");
        await page.OverASlowNetworkAsync();

        var name = Text("Relation extraction project");
        await page.ClickAsync("#new-project");
        await page.WaitForFunctionAsync("document.activeElement?.id === 'project-name'");
        await page.Locator("#project-name").PressSequentiallyAsync(name, NoDelay);
        await RunningApp.ScreenshotAsync(page, "new-project-form");
        await page.PressAsync("#project-name", "Enter");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/relations/\d+$"));
        var projectId = int.Parse(page.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await using var db = app.Database.CreateContext();
        Assert.Equal(name, (await db.RelationProjects.SingleAsync(p => p.Id == projectId)).Name);
    }

    [Fact]
    public async Task A_new_applications_name_typed_at_full_speed_and_created_at_once_over_a_slow_network_is_saved_whole()
    {
        var page = await app.SignInAsync("assessee@demo.local", "/assessments");
        await page.OverASlowNetworkAsync();

        var name = Text("Customer support chatbot");
        await page.ClickAsync("#new-application");
        await page.WaitForFunctionAsync("document.activeElement?.id === 'application-name'");
        await page.Locator("#application-name").PressSequentiallyAsync(name, NoDelay);
        await page.ClickAsync("#create-application");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/assessments/applications/\d+$"));
        var id = int.Parse(page.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await using var db = app.Database.CreateContext();
        Assert.Equal(name, (await db.AiApplications.SingleAsync(a => a.Id == id)).Name);
    }
}
