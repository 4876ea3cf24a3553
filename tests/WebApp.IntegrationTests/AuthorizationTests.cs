using System.Net;
using WebApp.Domain.Identity;

namespace WebApp.IntegrationTests;

public class AuthorizationTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly string[] Participants = [Roles.Assessee, Roles.Auditor, Roles.AccountableAuthority, Roles.Admin];

    /// <summary>Every page, with the roles that may open it.</summary>
    public static readonly TheoryData<string, string[]> Pages = new()
    {
        { "/", Roles.All.ToArray() },
        { "/labeling", [Roles.Expert, Roles.LeadExpert, Roles.Admin] },
        { "/relations", [Roles.Expert, Roles.LeadExpert, Roles.Admin] },
        { "/relations/1", [Roles.Expert, Roles.LeadExpert, Roles.Admin] },
        { "/relations/1/candidates", [Roles.Expert, Roles.LeadExpert, Roles.Admin] },
        { "/relations/1/models", [Roles.Expert, Roles.LeadExpert, Roles.Admin] },
        { "/relations/1/models/compare?a=1&b=2", [Roles.Expert, Roles.LeadExpert, Roles.Admin] },
        { "/relations/1/label", [Roles.Expert, Roles.LeadExpert, Roles.Admin] },
        { "/relations/1/learning-curves", [Roles.Expert, Roles.LeadExpert, Roles.Admin] },
        { "/relations/1/conflicts", [Roles.LeadExpert, Roles.Admin] },
        { "/relations/1/conflicts?view=decided", [Roles.LeadExpert, Roles.Admin] },
        { "/relations/1/import", [Roles.Admin] },
        { "/sequences", [Roles.Curator, Roles.Admin] },
        { "/sequences/import", [Roles.Curator, Roles.Admin] },
        { "/sequences/import?dataset=1", [Roles.Curator, Roles.Admin] },
        { "/sequences/1", [Roles.Curator, Roles.Admin] },
        { "/sequences/1/topics", [Roles.Curator, Roles.Admin] },
        { "/sequences/1/clusterings/1", [Roles.Curator, Roles.Admin] },
        { "/sequences/1/compare?a=1&b=2", [Roles.Curator, Roles.Admin] },
        { "/sequences/1/novelty", [Roles.Curator, Roles.Admin] },
        { "/sequences/1/novelty/scores/1", [Roles.Curator, Roles.Admin] },
        { "/sequences/1/novelty/scores/1/1", [Roles.Curator, Roles.Admin] },
        { "/assessments", Participants },
        { "/assessments/applications/1", Participants },
        { "/assessments/1", Participants },
        { "/assessments/1/profile", Participants },
        { "/assessments/1/dimensions/RE", Participants },
        { "/assessments/1/risk-areas/RE-R-SC", Participants },
        { "/assessments/catalogs", [Roles.Assessee, Roles.Auditor, Roles.AccountableAuthority, Roles.Admin] },
        { "/assessments/catalogs/1", [Roles.Assessee, Roles.Auditor, Roles.AccountableAuthority, Roles.Admin] },
        { "/assessments/1/report", [Roles.Assessee, Roles.Auditor, Roles.AccountableAuthority, Roles.Admin] },
        { "/admin/training", [Roles.Admin] },
        { "/admin/training/new", [Roles.Admin] },
        { "/admin/workers", [Roles.Admin] },
        { "/admin/models", [Roles.Admin] },
        { "/admin/models?type=relation&owner=1", [Roles.Admin] },
        { "/admin/models/relation/1", [Roles.Admin] },
        { "/admin/models/novelty/1", [Roles.Admin] },
        { "/admin/models/compare?a=relation:1&b=relation:2", [Roles.Admin] },
        { "/admin/users", [Roles.Admin] },
        { "/admin/audit", [Roles.Admin] },
        { "/admin/jobs", [Roles.Admin] },
    };

    // The demo user of each role (the accountable authority's address is not its role name).
    private static string EmailOf(string role) => WebApp.Web.Identity.SeedOptions.DemoUsers.Single(u => u.Role == role).Email;

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Anonymous_visitors_are_sent_to_the_login_page(string path, string[] allowed)
    {
        Assert.NotEmpty(allowed);
        var client = await app.ClientAsync();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Each_role_reaches_its_pages_and_is_refused_the_others(string path, string[] allowed)
    {
        foreach (var role in Roles.All)
        {
            var client = await app.ClientAsync(EmailOf(role));

            var response = await client.GetAsync(path);

            if (allowed.Contains(role))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} should open {path}, got {response.StatusCode}");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{role} should be refused {path}, got {response.StatusCode}");
                Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_api_answers_with_status_codes_not_redirects()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await (await app.ClientAsync()).GetAsync("/api/job-runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync(EmailOf(Roles.Expert))).GetAsync("/api/job-runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientAsync(EmailOf(Roles.Admin))).GetAsync("/api/job-runs")).StatusCode);
    }

    [Fact]
    public async Task The_login_page_and_health_check_are_open()
    {
        var client = await app.ClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Pages_name_a_favicon_that_is_served()
    {
        var client = await app.ClientAsync(EmailOf(Roles.Admin));
        foreach (var path in new[] { "/account/login", "/" })
        {
            var page = await client.GetStringAsync(path);
            var icon = System.Text.RegularExpressions.Regex.Match(page, "<link rel=\"icon\"[^>]* href=\"([^\"]+)\"");
            Assert.True(icon.Success, $"{path} names no favicon.");
            var response = await client.GetAsync("/" + icon.Groups[1].Value.TrimStart('/'));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<svg", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message()
    {
        var response = await WebAppFactory.PostLoginAsync(await app.ClientAsync(), EmailOf(Roles.Admin), "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Email or password is wrong.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/users", "/admin/users")]
    [InlineData("//evil.example/phish", "/")]
    [InlineData("/\\evil.example/phish", "/")]
    [InlineData("https://evil.example/", "/")]
    public async Task After_sign_in_only_local_return_urls_are_followed(string returnUrl, string expected)
    {
        var response = await WebAppFactory.PostLoginAsync(await app.ClientAsync(), EmailOf(Roles.Admin), WebAppFactory.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal("localhost", target.Host);
        Assert.Equal(expected, target.AbsolutePath);
    }
}
