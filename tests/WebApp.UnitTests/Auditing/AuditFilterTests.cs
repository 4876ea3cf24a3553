using WebApp.Web.Auditing;

namespace WebApp.UnitTests.Auditing;

public class AuditFilterTests
{
    private static Func<string, string?> Query(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Reads_the_query_string_and_writes_it_back()
    {
        Assert.True(AuditFilter.TryParse(
            Query(("user", " ada "), ("entityType", "Assessment"), ("entityId", "7"), ("action", "assessment."), ("from", "2026-11-29T10:00:00+01:00"), ("to", "2026-11-29T10:30")),
            out var filter, out var error));

        Assert.Null(error);
        Assert.Equal("ada", filter.User);
        Assert.Equal(new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc), filter.From);
        Assert.Equal(DateTimeKind.Utc, filter.From!.Value.Kind);
        Assert.Equal(new DateTime(2026, 11, 29, 10, 30, 0, DateTimeKind.Utc), filter.To);
        Assert.Equal("assessment.", filter.ActionPrefix);
        Assert.Equal("?user=ada&entityType=Assessment&entityId=7&action=assessment.&from=2026-11-29T09%3A00%3A00Z&to=2026-11-29T10%3A30%3A00Z&before=5",
            filter.QueryString(("before", "5"), ("after", null)));
    }

    [Theory]
    [InlineData("assessment.close", null)]
    [InlineData("assessment.", "assessment.")]
    [InlineData("assess*", "assess")]
    public void An_action_ending_with_a_dot_or_star_is_a_prefix(string action, string? prefix) =>
        Assert.Equal(prefix, new AuditFilter { Action = action }.ActionPrefix);

    [Fact]
    public void An_unreadable_time_is_an_error_and_an_empty_filter_is_empty()
    {
        Assert.False(AuditFilter.TryParse(Query(("from", "yesterday")), out _, out var error));
        Assert.Contains("yesterday", error, StringComparison.Ordinal);
        Assert.True(AuditFilter.TryParse(Query(("user", "  ")), out var empty, out _));
        Assert.True(empty.IsEmpty);
        Assert.Equal("", empty.QueryString());
    }

    [Theory]
    [InlineData("2026-11-29T11:00", "2026-11-29T10:00")]
    [InlineData("2026-11-29T10:00", "2026-11-29T10:00")]
    public void A_from_not_before_to_is_refused_with_a_message(string from, string to)
    {
        Assert.False(AuditFilter.TryParse(Query(("from", from), ("to", to)), out _, out var error));
        Assert.Contains("must be earlier than To", error, StringComparison.Ordinal);
        Assert.Equal(error, AuditFilter.RangeError(AuditFilter.ParseTime(from), AuditFilter.ParseTime(to)));
        Assert.True(AuditFilter.TryParse(Query(("from", to), ("to", "2026-11-29T12:00")), out _, out var none));
        Assert.Null(none);
    }
}
