namespace WebApp.Domain.Assessments;

/// <summary>An AI application in the portfolio: what gets assessed, cycle after cycle.</summary>
public class AiApplication
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Who is responsible for the application (person or team), as free text.</summary>
    public string Owner { get; set; } = "";
    public string Description { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
    /// <summary>PostgreSQL xmin: a stale edit is refused, never applied over someone else's.</summary>
    public uint RowVersion { get; set; }
}
