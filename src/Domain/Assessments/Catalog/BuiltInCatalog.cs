namespace WebApp.Domain.Assessments.Catalog;

/// <summary>The catalog shipped with the application (Data/trustworthy-ai.json, an embedded resource), imported on web start.</summary>
public static class BuiltInCatalog
{
    public const string Key = "trustworthy-ai";
    private const string ResourceName = "WebApp.Domain.Assessments.Catalog.Data." + Key + ".json";

    /// <summary>The file's bytes exactly as shipped: its SHA-256 identifies the content of the version it declares.</summary>
    public static byte[] Read()
    {
        using var stream = typeof(BuiltInCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The built-in catalog resource {ResourceName} is missing from the build.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
