using Microsoft.Playwright;

namespace WebApp.EndToEnd;

/// <summary>
/// Waits that keep a journey's input from reaching a page that cannot take it yet. Pages are prerendered and become
/// interactive a moment later (a new circuit after every full page load: GotoAsync, ReloadAsync, a login redirect);
/// a click, key or file handed to the prerendered page is lost, and a list read from it is replaced.
/// </summary>
public static class Interactivity
{
    private static readonly PageWaitForSelectorOptions Attached = new() { State = WaitForSelectorState.Attached };

    /// <summary>
    /// Returns once the page's circuit is up: the layout renders #circuit-ready only after its first interactive
    /// render, once the other components' first-render set-up has been sent. Links within the app keep the circuit
    /// (and the marker); a full page load starts again from the prerendered page.
    /// </summary>
    public static async Task WaitUntilInteractiveAsync(this IPage page) =>
        await page.WaitForSelectorAsync("#circuit-ready", Attached);

    /// <summary>
    /// Hands a Blazor InputFile a file once its change listener is attached. The element is in the page a moment
    /// before that (the listener is added by JS interop after the render that adds the element, and again for each
    /// new element, e.g. one re-keyed after an upload): a file set in between goes unnoticed.
    /// </summary>
    public static async Task SetInputFilesWhenReadyAsync(this ILocator input, string file)
    {
        // Blazor's InputFile.init sets this field just before it adds the listener.
        await input.Page.WaitForFunctionAsync("e => e._blazorInputFileNextFileId !== undefined", await input.ElementHandleAsync());
        await input.SetInputFilesAsync(file);
    }

    /// <summary>Every circuit message 60 ms late both ways, as across the internet: the server's answers arrive after the next keys.</summary>
    public static async Task OverASlowNetworkAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.AddInitScriptAsync("""
            (() => {
              const Native = window.WebSocket, delay = 60;
              window.WebSocket = class extends Native {
                send(data) { setTimeout(() => { if (this.readyState === Native.OPEN) super.send(data); }, delay); }
                set onmessage(handler) { super.onmessage = handler && (e => setTimeout(() => handler.call(this, e), delay)); }
                get onmessage() { return super.onmessage; }
              };
            })();
            """);
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
    }
}
