using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using WebApp.Domain;
using WebApp.Domain.Database;
using WebApp.Domain.Identity;
using WebApp.Domain.Training;
using WebApp.Web.Admin;
using WebApp.Web.Components;
using WebApp.Web.Components.Account;
using WebApp.Web.Identity;
using WebApp.Web.Training;

var builder = WebApplication.CreateBuilder(args);
// Serves wwwroot and library assets straight from the build output in every environment (run.sh, tests).
builder.WebHost.UseStaticWebAssets();

var connectionString = builder.Configuration.GetAppConnectionString();
builder.Services.AddAppDatabase(connectionString);

builder.Services.AddDataProtection().SetApplicationName("WebApp").PersistKeysToDbContext<AppDbContext>();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddCascadingAuthenticationState();

builder.Services.AddIdentity<AppUser, IdentityRole>(options =>
    {
        options.Password.RequiredLength = 10;
        options.User.RequireUniqueEmail = true;
        options.Lockout.MaxFailedAccessAttempts = 10;
    })
    .AddEntityFrameworkStores<AppDbContext>()
    .AddDefaultTokenProviders();
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/account/login";
    options.LogoutPath = "/account/logout";
    options.AccessDeniedPath = "/account/access-denied";
    options.Cookie.Name = "webapp.auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax;
    // An API caller gets a status code, not a redirect to a login page.
    options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
    options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
});
builder.Services.AddAuthorizationBuilder()
    // Everything needs a signed-in user unless it says otherwise; pages and endpoints add their roles.
    .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
    .AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin));

// The web only enqueues: no Hangfire server here, and the workers own the Hangfire schema.
builder.Services.AddAppHangfire(connectionString, ownsSchema: false);
builder.Services.AddSingleton<JobRunNotifications>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<JobRunNotifications>());
builder.Services.AddTrainingLaunchers();
builder.Services.AddSingleton<JobRunControl>();
builder.Services.AddSingleton<TrainingSchedules>();
builder.Services.AddSingleton<WebApp.Web.Sequences.SequenceDatasetQueries>();
builder.Services.AddSingleton<WebApp.Web.Sequences.SequenceDemoSeeder>();
builder.Services.AddSingleton<WebApp.Web.Sequences.Curation.CurationCache>();
builder.Services.AddSingleton<WebApp.Web.Sequences.Curation.CurationQueries>();
builder.Services.AddSingleton<WebApp.Web.Sequences.Curation.CurationService>();
builder.Services.AddSingleton<WebApp.Web.Sequences.Novelty.NoveltyQueries>();
builder.Services.AddSingleton<WebApp.Web.Sequences.Novelty.OnlineScorer>();
builder.Services.AddSingleton<WebApp.Web.RelationExtraction.RelationDemoSeeder>();
builder.Services.AddSingleton<WebApp.Web.RelationExtraction.AutoRetrain>();
builder.Services.AddSingleton<WebApp.Web.RelationExtraction.RelationQueries>();
builder.Services.AddSingleton<WebApp.Web.RelationExtraction.StandingTrainingSettings>();
builder.Services.AddSingleton<WebApp.Web.Training.Registry.ModelRegistryQueries>();
builder.Services.AddSingleton<WebApp.Web.RelationExtraction.CandidateSearch>();
// How long the queue keeps an item for the expert it handed it to (renewed while shown): Relations:LabelLockSeconds.
builder.Services.AddSingleton(services =>
{
    var queue = ActivatorUtilities.CreateInstance<WebApp.Web.RelationExtraction.Labeling.LabelingQueue>(services);
    queue.LockDuration = TimeSpan.FromSeconds(builder.Configuration.GetValue("Relations:LabelLockSeconds",
        WebApp.Domain.RelationExtraction.Labeling.LabelingClaim.DefaultDuration.TotalSeconds));
    return queue;
});
builder.Services.AddSingleton<WebApp.Web.RelationExtraction.Labeling.LabelingService>();
builder.Services.AddSingleton<WebApp.Web.RelationExtraction.Labeling.ConflictService>();
builder.Services.AddSingleton<UserAdministration>();
builder.Services.AddSingleton<WebApp.Domain.Assessments.Catalog.CatalogStore>();
builder.Services.AddSingleton<WebApp.Domain.Assessments.Catalog.CatalogImporter>();
builder.Services.AddSingleton<WebApp.Web.Assessments.Catalogs.CatalogQueries>();
builder.Services.AddSingleton<WebApp.Domain.Assessments.ModelMetricSource>();
builder.Services.AddSingleton<WebApp.Web.Assessments.AssessmentService>();
builder.Services.AddSingleton<WebApp.Web.Assessments.AssessmentDemoSeeder>();
builder.Services.AddSingleton<WebApp.Web.Assessments.Report.AssessmentReports>();
builder.Services.Configure<SeedOptions>(builder.Configuration.GetSection(SeedOptions.Section));

var app = builder.Build();

// Hangfire creates a client's loggers from a process-wide log provider, set by whichever host configured
// Hangfire last; resolving the client now takes them from this host's own factory, not from another host
// in the same process (integration tests) that may be disposed by the time a page first needs the client.
app.Services.GetRequiredService<IBackgroundJobClient>();

await DatabaseStartup.MigrateAndSeedAsync(app.Services, app.Logger);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found");
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapGet("/health", () => Results.Text("ok")).AllowAnonymous();
app.MapAccountEndpoints();
app.MapJobRunApi();
WebApp.Web.Sequences.Novelty.NoveltyScoringApi.MapNoveltyScoringApi(app);
WebApp.Web.RelationExtraction.Labeling.LabelExport.MapLabelExport(app);
WebApp.Web.Assessments.Report.AssessmentReports.MapAssessmentExports(app);
WebApp.Web.Auditing.AuditExportApi.MapAuditExportApi(app);
WebApp.Web.Training.Registry.ModelFileApi.MapModelFileApi(app);
app.MapHangfireDashboard("/admin/jobs", new DashboardOptions
{
    Authorization = [], // the endpoint's Admin policy below decides
    AppPath = "/admin/training",
    DashboardTitle = "Background jobs",
}).RequireAuthorization(Roles.Admin);
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int statusCode)
{
    if (context.Request.Path.StartsWithSegments("/api"))
    {
        context.Response.StatusCode = statusCode;
        // Not re-executed as the not-found page: a POST there would answer 400 (antiforgery) instead of 401/403.
        var statusCodePages = context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>();
        if (statusCodePages is not null) statusCodePages.Enabled = false;
    }
    else
    {
        context.Response.Redirect(context.RedirectUri);
    }
    return Task.CompletedTask;
}

/// <summary>Lets integration tests host the application (WebApplicationFactory).</summary>
public partial class Program;
