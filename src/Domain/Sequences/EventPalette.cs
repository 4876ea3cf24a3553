using System.Globalization;

namespace WebApp.Domain.Sequences;

/// <summary>
/// The fixed categorical colours of event types, by vocabulary index, so an event keeps its colour across imports and
/// pages; and the sequential scale that shades values (heatmaps).
/// </summary>
public static class EventPalette
{
    /// <summary>
    /// 36 distinct colours before any repeats: Okabe–Ito first (safe for the common colour-vision deficiencies), then
    /// Paul Tol's bright, muted, light and vibrant schemes (each designed for colour-blind readers, greys left out).
    /// Beyond the first eight, colours alone cannot tell every event apart for every reader: pages name the event too.
    /// </summary>
    public static readonly IReadOnlyList<string> Colors =
    [
        "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000",
        "#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377",
        "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499",
        "#77aadd", "#ee8866", "#eedd88", "#ffaabb", "#99ddff", "#44bb99", "#bbcc33", "#aaaa00",
        "#ee7733", "#0077bb", "#33bbee", "#ee3377", "#cc3311",
    ];

    public static string ColorOf(int index) => Colors[index % Colors.Count];

    // Viridis (matplotlib), 9 stops: perceptually uniform, readable in grey and by colour-blind readers.
    private static readonly (byte R, byte G, byte B)[] Viridis =
    [
        (0x44, 0x01, 0x54), (0x47, 0x2d, 0x7b), (0x3b, 0x52, 0x8b), (0x2c, 0x72, 0x8e), (0x21, 0x91, 0x8c),
        (0x28, 0xae, 0x80), (0x5e, 0xc9, 0x62), (0xad, 0xdc, 0x30), (0xfd, 0xe7, 0x25),
    ];

    /// <summary>
    /// The colour of a value in [0, 1] on the reversed viridis scale: 0 is light yellow, 1 dark purple, so on a white
    /// page darker means more. Values outside [0, 1] (and NaN) are clamped.
    /// </summary>
    public static string Sequential(double value)
    {
        var t = double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);
        var position = (1 - t) * (Viridis.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, Viridis.Length - 1);
        var f = position - low;
        static int Mix(byte a, byte b, double f) => (int)Math.Round(a + (b - a) * f);
        var (l, h) = (Viridis[low], Viridis[high]);
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(l.R, h.R, f):x2}{Mix(l.G, h.G, f):x2}{Mix(l.B, h.B, f):x2}");
    }

    /// <summary>Text that stays readable on <see cref="Sequential"/>'s colour (white on the dark half).</summary>
    public static string TextOn(double value) => value > 0.55 ? "#ffffff" : "#1a1a1a";
}
