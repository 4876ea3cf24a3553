using WebApp.Web.Assessments;

namespace WebApp.UnitTests.Assessments;

public class AuditChangeTests
{
    [Fact]
    public void Only_the_changed_fields_are_listed_with_their_values_before_and_after()
    {
        var changes = AuditChange.Fields(
            """{"ItemCode":"RE-P","Protection":"Low","Justification":"","AffectedDimensions":["FN"],"CarriedOver":true}""",
            """{"ItemCode":"RE-P","Protection":"Medium","Justification":"Reports","AffectedDimensions":["FN","DP"],"CarriedOver":false}""");

        Assert.Equal(
            [
                new FieldChange("Protection", "Low", "Medium"),
                new FieldChange("Justification", null, "Reports"),
                new FieldChange("AffectedDimensions", "FN", "FN, DP"),
                new FieldChange("CarriedOver", "true", "false"),
            ],
            changes);
    }

    [Fact]
    public void A_creation_lists_what_was_set_a_deletion_what_was_removed_and_text_that_is_not_an_object_is_compared_whole()
    {
        Assert.Equal([new FieldChange("Text", null, "Name the teams.")], AuditChange.Fields(null, """{"Text":"Name the teams.","ResolvedAt":null}"""));
        Assert.Equal([new FieldChange("Kpi", "F1", null)], AuditChange.Fields("""{"Kpi":"F1"}""", null));
        Assert.Equal([new FieldChange("", "not json", "\"Closed\"")], AuditChange.Fields("not json", "\"Closed\""));
        Assert.Empty(AuditChange.Fields("""{"A":1}""", """{"A":1}"""));
    }
}
