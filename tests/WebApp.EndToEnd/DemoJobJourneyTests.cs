using Microsoft.Playwright;
using WebApp.Domain.Training;

namespace WebApp.EndToEnd;

public class DemoJobJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    private static readonly PageWaitForSelectorOptions Within60Seconds = new() { Timeout = 60_000 };

    [Fact]
    public async Task An_admin_enqueues_the_demo_job_and_watches_the_worker_process_run_it_to_success()
    {
        // Start from the admin page: the login page sends the admin back there.
        var page = await app.SignInAsync("admin@demo.local", "/admin/training");
        Assert.EndsWith("/admin/training", page.Url, StringComparison.Ordinal);

        await page.ClickAsync("#start-demo-job");

        var row = page.Locator("tr[data-job-run]").First;
        try
        {
            await page.WaitForSelectorAsync("tr[data-status='Running']", Within60Seconds);
            await page.WaitForSelectorAsync("tr[data-status='Succeeded']", Within60Seconds);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nRow: {await row.InnerTextAsync()}\n{app.Logs}", e);
        }

        await RunningApp.ScreenshotAsync(page, "admin-training");
        var text = await row.InnerTextAsync();
        Assert.Contains("admin@demo.local", text, StringComparison.Ordinal);
        Assert.Contains($"/{app.Worker.Id}", text, StringComparison.Ordinal); // run by the worker process, not the web
        Assert.Contains("cpu", text, StringComparison.Ordinal);

        var status = await app.Database.ScalarAsync<string>("SELECT \"Status\" FROM \"JobRuns\"");
        Assert.Equal(nameof(JobRunStatus.Succeeded), status);
        var actions = await app.Database.ScalarAsync<string>(
            "SELECT string_agg(\"Action\", ',' ORDER BY \"Id\") FROM \"AuditRecords\" WHERE \"EntityType\" = 'JobRun'");
        Assert.Equal("job.enqueued,job.succeeded", actions);

        // The audit trail page verifies the chain that this journey extended.
        await page.ClickAsync(".mud-navmenu a[href='admin/audit']");
        await page.ClickAsync("#verify-chain");
        var verdict = await page.WaitForSelectorAsync("#chain-result");
        Assert.Contains("Chain intact", await verdict!.InnerTextAsync(), StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(page, "admin-audit");

        await page.ClickAsync(".mud-navmenu a[href='admin/users']");
        await page.WaitForSelectorAsync("tr[data-user='expert@demo.local']");
        await RunningApp.ScreenshotAsync(page, "admin-users");
    }

    [Fact]
    public async Task An_expert_sees_no_administration_and_is_refused_the_admin_pages()
    {
        var page = await app.SignInAsync("expert@demo.local");

        Assert.Equal(0, await page.GetByText("Administration").CountAsync());
        Assert.Equal(1, await page.Locator(".mud-navmenu a[href='labeling']").CountAsync());

        await page.GotoAsync("/admin/training");
        Assert.Contains("/account/access-denied", page.Url, StringComparison.Ordinal);

        await page.GotoAsync("/");
        await page.WaitUntilInteractiveAsync();
        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/account/login", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.GotoAsync("/labeling");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_visitor_on_the_login_page_with_a_message()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#email", "admin@demo.local");
        await page.FillAsync("#password", "wrong password");
        await page.ClickAsync("#sign-in");

        await page.WaitForSelectorAsync("text=Email or password is wrong.");
        await RunningApp.ScreenshotAsync(page, "login-failed");
    }
}
