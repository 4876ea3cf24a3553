namespace WebApp.Domain.Assessments.Catalog;

/// <summary>An imported catalog version. Immutable: a changed catalog is imported as a new version.</summary>
public class AssessmentCatalog
{
    public int Id { get; set; }
    /// <summary>The catalog's key (same across its versions), e.g. "trustworthy-ai".</summary>
    public string Key { get; set; } = "";
    public string Version { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>The validated <see cref="CatalogDefinition"/> as JSON (<see cref="CatalogJson.Options"/>).</summary>
    public string Definition { get; set; } = "{}";
    /// <summary>SHA-256 of the file as imported: re-importing the same file is a no-op, a different one under the same version is refused.</summary>
    public string Sha256 { get; set; } = "";
    /// <summary>Shipped with the application (imported on start) rather than uploaded by an admin.</summary>
    public bool IsBuiltIn { get; set; }
    public DateTime ImportedAt { get; set; }
    public string ImportedByName { get; set; } = "";
}
