using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.RelationExtraction;

public static class RelationProjects
{
    /// <summary>Creates a project with its NA relation (index 0). The caller owns the transaction.</summary>
    public static async Task<RelationProject> CreateAsync(AppDbContext db, string name, string description,
        string createdBy, CancellationToken ct)
    {
        var project = new RelationProject
        {
            Name = name.Trim(),
            Description = description.Trim(),
            CreatedByName = createdBy,
            CreatedAt = DateTime.UtcNow,
        };
        db.RelationProjects.Add(project);
        await db.SaveChangesAsync(ct);
        db.RelationTypes.Add(new RelationType
        {
            ProjectId = project.Id,
            Key = RelationType.NaKey,
            Name = "no relation",
            Description = "The sentence does not express any of the relations between the two entities.",
            IsNa = true,
            Index = 0,
        });
        await db.SaveChangesAsync(ct);
        return project;
    }
}
