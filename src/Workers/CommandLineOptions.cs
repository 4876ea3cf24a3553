namespace WebApp.Workers;

/// <summary>The options of the worker's headless commands: <c>--name value</c> or <c>--name=value</c>, names from a known list.</summary>
public static class CommandLineOptions
{
    public static Dictionary<string, string> Parse(string[] args, IReadOnlyCollection<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new FormatException($"Unexpected argument '{args[i]}'.");
            var key = args[i][2..];
            string value;
            var eq = key.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = key[(eq + 1)..];
                key = key[..eq];
            }
            else
            {
                if (!known.Contains(key)) throw new FormatException($"Unknown option --{key}.");
                if (i + 1 >= args.Length) throw new FormatException($"--{key} needs a value.");
                value = args[++i];
            }
            if (!known.Contains(key)) throw new FormatException($"Unknown option --{key}.");
            values[key] = value;
        }
        return values;
    }
}
