using Microsoft.JSInterop;

namespace WebApp.Web.Components;

/// <summary>
/// Reads what an input holds in the browser. A field bound per keystroke (MudTextField Immediate) reaches the server
/// one keystroke at a time; over a network with some latency, Enter or a Save click typed right after the last key is
/// handled while the server's copy still lacks the tail ("Relation extr"). A save reads the browser's text instead.
/// </summary>
public static class BrowserInputs
{
    /// <summary>The value of the input with this id; null where there is none (or the circuit is gone).</summary>
    public static async Task<string?> CurrentValueAsync(this IJSRuntime js, string elementId)
    {
        ArgumentNullException.ThrowIfNull(js);
        try
        {
            return await js.InvokeAsync<string?>("webApp.inputValue", elementId);
        }
        catch (JSDisconnectedException)
        {
            return null;
        }
    }
}
