using Microsoft.Playwright;

namespace WebApp.EndToEnd;

public sealed class SequenceImportJourneyTests(RunningApp app) : IClassFixture<RunningApp>, IDisposable
{
    private static readonly PageWaitForSelectorOptions Within60Seconds = new() { Timeout = 60_000 };
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("e2e-sequences");

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public async Task A_curator_sees_a_bad_file_rejected_by_line_then_imports_sequences_and_labels_and_finds_the_dataset_listed()
    {
        // A long id without spaces makes a long error line: "Recent imports" must show all of it.
        var longId = "b1-" + string.Concat(Enumerable.Repeat("0123456789", 16));
        await File.WriteAllTextAsync(Path.Combine(_files.FullName, "broken.csv"), $"id,position,event\n{longId},1,open\n{longId},1,close\n");
        await File.WriteAllTextAsync(Path.Combine(_files.FullName, "sessions.txt"), "5 5 22 11 \n22 5 9\n");
        await File.WriteAllTextAsync(Path.Combine(_files.FullName, "labels.csv"), "sequence_id,label\nsessions.txt:2,novel\n");
        var page = await app.SignInAsync("curator@demo.local", "/sequences");
        await page.WaitForSelectorAsync("[data-testid='empty-state']");

        await ImportAsync(page, "Csv", "broken.csv", "Journey", "Failed");
        var error = $"broken.csv line 3: sequence '{longId[..40]}…' has position 1 twice (also line 2)";
        Assert.Contains(error, await page.InnerTextAsync("#import-error"), StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(page, "sequences-import-error");

        await ImportAsync(page, "Lines", "sessions.txt", "Journey", "Succeeded");
        Assert.Contains("2 sequences, 7 events", await page.InnerTextAsync("#import-success"), StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(page, "sequences-import");

        await ImportAsync(page, "Labels", "labels.csv", null, "Succeeded");
        Assert.Contains("1 labels", await page.InnerTextAsync("#import-success"), StringComparison.Ordinal);

        await page.GotoAsync("/sequences");
        await page.WaitUntilInteractiveAsync();
        await page.WaitForSelectorAsync("#dataset-list");
        var row = await page.InnerTextAsync("#dataset-list tbody tr");
        Assert.Contains("Journey", row, StringComparison.Ordinal);
        Assert.Contains("0 / 1", row, StringComparison.Ordinal);
        Assert.Equal("2", (await page.InnerTextAsync("[data-count='train']")).Trim());
        Assert.Equal("7", (await page.InnerTextAsync("[data-count='events']")).Trim());
        Assert.Equal("4", (await page.InnerTextAsync("[data-count='vocabulary']")).Trim());
        var failed = page.Locator("#recent-imports [data-status='Failed'] .job-error-text");
        Assert.Equal(error, (await failed.InnerTextAsync()).Trim());
        // All of it in view, also on a narrow window: wrapped inside the list, nothing cut off or scrolled away.
        await page.SetViewportSizeAsync(560, 900);
        await RunningApp.ScreenshotAsync(page, "sequences-list-narrow");
        Assert.True(await failed.EvaluateAsync<bool>("""
            e => { const list = document.querySelector('#recent-imports').getBoundingClientRect(), box = e.getBoundingClientRect();
                   let n = e; while (n && n.id !== 'recent-imports') { if (n.scrollWidth > n.clientWidth + 1) return false; n = n.parentElement; }
                   return box.right <= list.right + 1 && box.left >= list.left - 1; }
            """), "The failed import's error is cut off in Recent imports.");
        await RunningApp.ScreenshotAsync(page, "sequences-list");
    }

    /// <summary>Imports <paramref name="file"/> into a new dataset named <paramref name="newDataset"/>, or the existing one when null.</summary>
    private async Task ImportAsync(IPage page, string format, string file, string? newDataset, string expectedStatus)
    {
        await page.GotoAsync("/sequences/import");
        await page.WaitUntilInteractiveAsync();
        await page.ClickAsync($"#import-format-{format}");
        await page.WaitForSelectorAsync($".format-option.selected [data-format='{format}']");
        await page.Locator("#import-file").SetInputFilesWhenReadyAsync(Path.Combine(_files.FullName, file));
        await page.WaitForSelectorAsync("[data-testid='uploaded-file']");
        if (newDataset is not null)
        {
            await page.FillAsync("#new-dataset-name", newDataset);
        }
        else
        {
            await page.ClickAsync("#existing-dataset");
            await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('Journey')");
            // The select takes the value only after closing its list (a round trip to the browser), and the start
            // button does not wait for it: a click in between starts without a dataset. The select shows its value then.
            await page.WaitForSelectorAsync(".mud-select:has(#existing-dataset) [role=combobox]:text-is('Journey')");
        }
        await page.WaitForSelectorAsync("#start-import:not([disabled])");
        await page.ClickAsync("#start-import");
        try
        {
            await page.WaitForSelectorAsync($"[data-import-status='{expectedStatus}']", Within60Seconds);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }
    }
}
