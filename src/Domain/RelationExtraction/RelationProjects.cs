using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.RelationExtraction;

/// <summary>Creating a project always creates its NA relation type ("no relation", key NA, index 0) with it.</summary>
public static class RelationProjects
{
    public const string NaName = "No relation";
    public const string NaDescription = "The sentence does not express any of the project's relations between the two entities.";

    /// <summary>
    /// Creates a project and its NA relation type. Inside the caller's transaction when there is one (add the
    /// audit record there); otherwise in a transaction of its own.
    /// </summary>
    public static async Task<RelationProject> CreateAsync(AppDbContext db, string name, string description, string createdBy,
        CancellationToken ct)
    {
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(ct)
            : null;
        try
        {
            var project = new RelationProject
            {
                Name = name,
                Description = description,
                CreatedByName = createdBy,
                CreatedAt = DateTime.UtcNow,
            };
            db.RelationProjects.Add(project);
            await db.SaveChangesAsync(ct);
            db.RelationTypes.Add(NewNa(project.Id));
            await db.SaveChangesAsync(ct);
            if (ownTransaction is not null) await ownTransaction.CommitAsync(ct);
            return project;
        }
        finally
        {
            if (ownTransaction is not null) await ownTransaction.DisposeAsync();
        }
    }

    /// <summary>The id of the project's NA relation type, created (index 0) when missing.</summary>
    public static async Task<int> EnsureNaAsync(AppDbContext db, int projectId, CancellationToken ct)
    {
        var id = await db.RelationTypes.Where(r => r.ProjectId == projectId && r.IsNa).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        if (id is { } existing) return existing;
        var na = NewNa(projectId);
        db.RelationTypes.Add(na);
        await db.SaveChangesAsync(ct);
        return na.Id;
    }

    private static RelationType NewNa(int projectId) => new()
    {
        ProjectId = projectId,
        Key = RelationType.NaKey,
        Name = NaName,
        Description = NaDescription,
        IsNa = true,
        Index = 0,
    };
}
