using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Web.Assessments;

namespace WebApp.IntegrationTests.Assessments;

public class AssessmentDemoSeederTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Seeds_this_applications_relation_extractor_once_with_its_profile_filled()
    {
        var seeder = app.Services.GetRequiredService<AssessmentDemoSeeder>();

        await seeder.SeedAsync();
        await seeder.SeedAsync();

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var application = await db.AiApplications.SingleAsync(a => a.Name == AssessmentDemoSeeder.ApplicationName);
        var assessment = await db.Assessments.SingleAsync(a => a.ApplicationId == application.Id);
        var view = await app.Services.GetRequiredService<AssessmentService>().LoadAsync(assessment.Id);
        Assert.Equal((1, 1), (assessment.Cycle, assessment.Version));
        Assert.True(view.Evaluation.ProfileProgress.IsComplete);
        Assert.Equal(8, view.Evaluation.ProfileProgress.Required);
        Assert.Equal(8, await db.AuditRecords.CountAsync(r => r.Action == "assessment.answer.save" && r.EntityId.StartsWith(assessment.Id + ":PF-")));
    }
}
