namespace WebApp.Domain.Assessments.Catalog;

/// <summary>A catalog file was refused; <see cref="Errors"/> lists every reason, so the author can fix them all at once.</summary>
public sealed class CatalogValidationException(IReadOnlyList<string> errors)
    : Exception(errors.Count == 1 ? errors[0] : $"The catalog has {errors.Count} errors: {string.Join(" ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
