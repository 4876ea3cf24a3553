using WebApp.Web.Auditing;

namespace WebApp.UnitTests.Auditing;

public class JsonDiffTests
{
    [Fact]
    public void Lists_changed_added_and_removed_keys_at_every_depth()
    {
        const string before = """{"title":"Old","status":"Draft","owner":{"name":"Sam","team":"A"},"tags":["x","y"],"gone":1,"same":{"a":[1,2]}}""";
        const string after = """{"title":"New","status":"Draft","owner":{"name":"Sam","email":"s@x"},"tags":["x","z","w"],"same":{"a":[1,2]},"new":{"b":true}}""";

        var changes = JsonDiff.Compare(before, after);

        Assert.Equal(
        [
            new JsonChange("title", JsonChangeKind.Changed, "\"Old\"", "\"New\""),
            new JsonChange("owner.team", JsonChangeKind.Removed, "\"A\"", null),
            new JsonChange("owner.email", JsonChangeKind.Added, null, "\"s@x\""),
            new JsonChange("tags[1]", JsonChangeKind.Changed, "\"y\"", "\"z\""),
            new JsonChange("tags[2]", JsonChangeKind.Added, null, "\"w\""),
            new JsonChange("gone", JsonChangeKind.Removed, "1", null),
            new JsonChange("new", JsonChangeKind.Added, null, """{"b":true}"""),
        ], changes);
    }

    [Fact]
    public void A_value_that_changes_kind_is_one_change_and_an_equal_number_none()
    {
        var changes = JsonDiff.Compare("""{"value":{"a":1},"list":[1],"n":1,"m":2}""", """{"value":"text","list":null,"n":1.0,"m":2.5}""");

        Assert.Equal(
        [
            new JsonChange("value", JsonChangeKind.Changed, """{"a":1}""", "\"text\""),
            new JsonChange("list", JsonChangeKind.Changed, "[1]", "null"),
            new JsonChange("m", JsonChangeKind.Changed, "2", "2.5"),
        ], changes);
    }

    [Fact]
    public void A_creation_lists_every_key_as_added_and_a_deletion_as_removed()
    {
        Assert.Equal(
            [new JsonChange("a", JsonChangeKind.Added, null, "1"), new JsonChange("b", JsonChangeKind.Added, null, """{"c":2}""")],
            JsonDiff.Compare(null, """{"a":1,"b":{"c":2}}"""));
        Assert.Equal([new JsonChange("a", JsonChangeKind.Removed, "1", null)], JsonDiff.Compare("""{"a":1}""", null));
        Assert.Empty(JsonDiff.Compare("""{"a":[1,{"b":2}]}""", """{ "a": [1, {"b": 2}] }"""));
    }

    [Fact]
    public void Pretty_indents_and_keeps_the_text_readable()
    {
        Assert.Equal("{\n  \"name\": \"\u00fcml\u00e4ut\",\n  \"n\": [\n    1\n  ]\n}", JsonDiff.Pretty("""{"name":"\u00fcml\u00e4ut","n":[1]}""")!.ReplaceLineEndings("\n"));
        Assert.Null(JsonDiff.Pretty(null));
    }

    [Fact]
    public void Changed_values_read_as_typed_not_as_stored_escapes()
    {
        // The audit trail stores "PCNN+ATT" as the serializer writes it: "PCNN\u002BATT".
        var changes = JsonDiff.Compare("""{"architecture":"PCNN\u002BATT","name":"\u00fcml\u00e4ut \u003Cb\u003E"}""",
            """{"architecture":"PCNN\u002BAVG","name":"\u00fcml\u00e4ut \u003Cb\u003E","note":"a\u0026b \"q\""}""");

        Assert.Equal(
        [
            new JsonChange("architecture", JsonChangeKind.Changed, "\"PCNN+ATT\"", "\"PCNN+AVG\""),
            new JsonChange("note", JsonChangeKind.Added, null, "\"a&b \\\"q\\\"\""),
        ], changes);
    }
}
