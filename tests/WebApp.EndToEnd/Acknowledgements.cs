using System.Globalization;
using Microsoft.Playwright;

namespace WebApp.EndToEnd;

/// <summary>A label or retraction the labelling page acknowledged: the <paramref name="Sequence"/>th of the page.</summary>
public sealed record Acknowledgement(int Sequence, string Kind, long CandidateId);

/// <summary>
/// Records in the browser every acknowledgement the labelling page shows (its workspace's data-acknowledged
/// attribute: the latest "sequence:kind:candidate", newest first, each set only after its commit), however fast they
/// follow each other: a MutationObserver keeps each value the attribute is changed from (and the value of a workspace
/// element added in place of another), the last one is read at the end.
/// </summary>
public static class Acknowledgements
{
    /// <summary>Waits until the page is interactive (the workspace takes the focus then), then records.</summary>
    public static async Task StartRecordingAsync(IPage page)
    {
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'label-workspace'");
        await page.EvaluateAsync("""
        () => {
            // The whole document, not one element: should Blazor replace the workspace element (prerendered DOM
            // swapped for the interactive one), the values of the new element are still seen.
            window.acknowledgedBefore = [];
            const keep = v => { if (v) window.acknowledgedBefore.push(v); };
            new MutationObserver(records => records.forEach(r => {
                if (r.type === 'attributes') keep(r.oldValue);
                r.addedNodes.forEach(n => {
                    if (n.nodeType !== 1) return;
                    const added = n.id === 'label-workspace' ? n : n.querySelector('#label-workspace');
                    if (added) keep(added.getAttribute('data-acknowledged'));
                });
            })).observe(document.documentElement, {
                subtree: true, childList: true, attributes: true, attributeFilter: ['data-acknowledged'], attributeOldValue: true,
            });
        }
        """);
    }

    /// <summary>
    /// Every acknowledgement the page showed since <see cref="StartRecordingAsync"/>, in order; fails when one
    /// in the sequence is missing (the recording would not be complete). Works on a page whose server is gone.
    /// </summary>
    public static async Task<IReadOnlyList<Acknowledgement>> ReadAsync(IPage page)
    {
        var values = await page.EvaluateAsync<string[]>("""
            () => [...window.acknowledgedBefore, document.getElementById('label-workspace').getAttribute('data-acknowledged')]
                .filter(v => v)
            """);
        var acknowledgements = values.SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).Select(Parse).OrderBy(a => a.Sequence).ToList();
        for (var i = 0; i < acknowledgements.Count; i++)
        {
            Assert.True(acknowledgements[i].Sequence == i + 1,
                $"Acknowledgement {i + 1} was not recorded (got {string.Join(", ", values)}).");
        }
        return acknowledgements;
    }

    private static Acknowledgement Parse(string value)
    {
        var parts = value.Split(':');
        return new Acknowledgement(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
