using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.RelationExtraction;

namespace WebApp.Workers.RelationExtraction.Import;

/// <summary>
/// Distant supervision, set-based: every bag gets one label per knowledge-base fact of its (head, tail) pair,
/// and a bag whose pair has no fact gets one NA label. Two statements, whatever the project's size.
/// </summary>
public static class DistantSupervision
{
    /// <summary>
    /// Replaces the project's distant labels. Runs in the caller's transaction when there is one (an import
    /// relabels inside its own), otherwise each statement commits on its own: call it inside a transaction.
    /// </summary>
    public static async Task RelabelAsync(AppDbContext db, int projectId, CancellationToken ct)
    {
        var na = await RelationProjects.EnsureNaAsync(db, projectId, ct);
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM "DistantLabels" l USING "Bags" b
            WHERE l."BagId" = b."Id" AND b."ProjectId" = {projectId}
            """, ct);
        // The facts of each bag's pair, or NA where the knowledge base has none.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "DistantLabels" ("BagId", "RelationTypeId")
            SELECT DISTINCT b."Id", coalesce(f."RelationTypeId", {na})
            FROM "Bags" b
            LEFT JOIN "KbFacts" f ON f."ProjectId" = b."ProjectId" AND f."HeadEntityId" = b."HeadEntityId"
                                 AND f."TailEntityId" = b."TailEntityId"
            WHERE b."ProjectId" = {projectId}
            """, ct);
    }
}
