using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Identity;

namespace WebApp.Web.Assessments;

/// <summary>
/// The local run's demo assessment: this application's own relation extractor as an AI application, with a first
/// assessment on the built-in catalog whose AI profile is filled in, so an assessee can go on from the dimensions.
/// Seeded once: an existing application of that name is left as it is.
/// </summary>
public sealed class AssessmentDemoSeeder(IDbContextFactory<AppDbContext> dbFactory, AssessmentService service, ILogger<AssessmentDemoSeeder> logger)
{
    public const string ApplicationName = "Relation extractor (this application)";

    private static readonly ClaimsPrincipal Seeder = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "system:seed"), new Claim(ClaimTypes.Role, Roles.Assessee)], "seed"));

    private static readonly IReadOnlyList<(string Item, string Answer)> Profile =
    [
        ("PF-T-FA-01", "Finds relations between entity pairs in English sentences (e.g. 'X is the capital of Y') so that experts can grow a knowledge base faster than by reading."),
        ("PF-T-FA-02", "Input: sentences with two marked entity mentions, from the imported corpus. Output: for each entity pair, a probability per relation type of the knowledge base, and the evidence tokens behind it."),
        ("PF-T-FA-03", "In the browser, by domain experts who confirm or correct the model's suggestions; the suggestions never enter the knowledge base without an expert's label."),
        ("PF-T-FA-04", "Users of the knowledge base built from the confirmed relations. A wrong suggestion costs an expert's time; a wrong fact that passes review misinforms everyone who reads the knowledge base."),
        ("PF-T-FA-05", "The licences of the corpus and the knowledge base (FewRel: MIT; Wikipedia text: CC BY-SA 4.0; Wikidata: CC0); the organisation's data-protection rules for the names in the text."),
        ("PF-T-ST-01", "Import and distant supervision (rules, no learning), a piecewise CNN relation classifier (AI), active learning that orders the expert's queue (uses the model's uncertainty), the labelling interface, retraining jobs on worker machines."),
        ("PF-T-ST-02", "A piecewise convolutional neural network (PCNN) with word and position embeddings and selective attention over the sentences of an entity pair, trained with TorchSharp."),
        ("PF-T-ST-03", "Offline, in retraining jobs: first from the distant labels of the knowledge base, then again after every batch of expert labels. Every version is kept with its metrics; nothing learns while it serves."),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.AiApplications.AnyAsync(a => a.Name == ApplicationName, ct)) return;
        }
        var application = await service.CreateApplicationAsync(Seeder, ApplicationName, "Relation extraction team",
            "The piecewise CNN that suggests relations to the experts of the relation-extraction pillar, with its active-learning queue.", ct);
        var assessment = await service.StartAssessmentAsync(Seeder, application.Id, ct: ct);
        foreach (var (item, answer) in Profile)
        {
            await service.SaveAnswerAsync(Seeder, assessment.Id, new AnswerEdit(item, null, Text: answer), ct);
        }
        logger.LogInformation("Demo assessment {AssessmentId} of '{Application}' started.", assessment.Id, ApplicationName);
    }
}
