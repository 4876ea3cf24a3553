using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;

namespace WebApp.UnitTests.Assessments;

public class CatalogParserTests
{
    private static readonly CatalogDefinition BuiltIn = CatalogParser.Parse(BuiltInCatalog.Read());

    private static IEnumerable<Requirement> AllRequirements(CatalogDefinition catalog) =>
        catalog.Dimensions.SelectMany(d => d.RiskAreas).SelectMany(a => a.Requirements);

    /// <summary>The built-in file with one change applied; the change gets the file as a JSON tree.</summary>
    private static byte[] BuiltInWith(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(BuiltInCatalog.Read())!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static JsonObject Area(JsonObject root, int dimension, int area) =>
        root["dimensions"]![dimension]!["riskAreas"]![area]!.AsObject();

    private static JsonObject RequirementById(JsonObject root, string id) =>
        root["dimensions"]!.AsArray().SelectMany(d => d!["riskAreas"]!.AsArray()).SelectMany(a => a!["requirements"]!.AsArray())
            .Single(r => (string?)r!["id"] == id)!.AsObject();

    private static IReadOnlyList<string> ErrorsOf(byte[] file) =>
        Assert.Throws<CatalogValidationException>(() => CatalogParser.Parse(file)).Errors;

    private static void AssertOneErrorContaining(byte[] file, string expected)
    {
        var errors = ErrorsOf(file);
        Assert.True(errors.Count == 1 && errors[0].Contains(expected, StringComparison.Ordinal),
            $"Expected one error containing \"{expected}\", got:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void The_built_in_catalog_has_six_dimensions_and_nineteen_risk_areas_with_the_catalogs_codes()
    {
        Assert.Equal(("trustworthy-ai", "1.0"), (BuiltIn.Key, BuiltIn.Version));
        Assert.Equal(["FN", "AC", "TR", "RE", "S", "DP"], BuiltIn.Dimensions.Select(d => d.Code));
        Assert.Equal(19, BuiltIn.Dimensions.Sum(d => d.RiskAreas.Count));
        Assert.Equal(
            ["FN-R-FN", "FN-R-CD", "AC-R-TD", "AC-R-IE", "TR-R-UA", "TR-R-EX", "TR-R-AU", "TR-R-CD", "RE-R-SC", "RE-R-RO", "RE-R-IM",
             "RE-R-UE", "RE-R-CD", "S-R-FS", "S-R-IA", "S-R-CD", "DP-R-PD", "DP-R-BI", "DP-R-CD"],
            BuiltIn.Dimensions.SelectMany(d => d.RiskAreas.Select(a => RiskAreaDefinition.KeyOf(d.Code, a.Code))));
        Assert.Contains("Fraunhofer IAIS", BuiltIn.Credit, StringComparison.Ordinal);
        Assert.Contains("2307.03681", BuiltIn.Credit, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_built_in_risk_area_has_risks_criteria_measures_and_one_overall_assessment()
    {
        foreach (var dimension in BuiltIn.Dimensions)
        {
            foreach (var area in dimension.RiskAreas)
            {
                var key = RiskAreaDefinition.KeyOf(dimension.Code, area.Code);
                var aspects = area.Requirements.GroupBy(r => r.Aspect).ToDictionary(g => g.Key, g => g.Count());
                Assert.True(aspects.GetValueOrDefault(Aspect.RI) >= 1, $"{key} has no RI");
                Assert.True(aspects.GetValueOrDefault(Aspect.CR) >= 1, $"{key} has no CR");
                Assert.True(aspects.GetValueOrDefault(Aspect.ME) >= 3, $"{key} has fewer than 3 measures");
                Assert.Equal(1, aspects.GetValueOrDefault(Aspect.OA));
                Assert.Equal($"{key}-OA", area.Requirements.Single(r => r.Aspect == Aspect.OA).Id);
                Assert.All(area.Requirements.Where(r => r.Aspect == Aspect.ME),
                    m => Assert.True(m.Stage is >= 1 and <= 4 && m.Evidence is { Count: > 0 }, $"{m.Id} lacks stage or evidence"));
            }
        }
    }

    [Fact]
    public void Built_in_identifiers_are_unique_and_requirements_number_between_150_and_200()
    {
        var ids = BuiltIn.Profile.Select(p => p.Id)
            .Concat(BuiltIn.Dimensions.SelectMany(d => new[] { d.Protection.Id, d.Summary.Id }))
            .Concat(AllRequirements(BuiltIn).Select(r => r.Id))
            .Append(BuiltIn.CrossDimensional.Id)
            .ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["FN-P", "AC-P", "TR-P", "RE-P", "S-P", "DP-P"], BuiltIn.Dimensions.Select(d => d.Protection.Id));
        Assert.Equal(["FN-S", "AC-S", "TR-S", "RE-S", "S-S", "DP-S"], BuiltIn.Dimensions.Select(d => d.Summary.Id));
        Assert.Equal("AT", BuiltIn.CrossDimensional.Id);
        Assert.InRange(AllRequirements(BuiltIn).Count(), 150, 200);
    }

    [Fact]
    public void Reliability_is_never_low_and_the_other_dimensions_may_be()
    {
        Assert.Equal(ProtectionLevel.Medium, BuiltIn.Dimension("RE").MinimumProtection);
        Assert.All(BuiltIn.Dimensions.Where(d => d.Code != "RE"), d => Assert.Equal(ProtectionLevel.Low, d.MinimumProtection));
    }

    [Fact]
    public void The_built_in_profile_has_five_functionality_and_three_structure_items()
    {
        Assert.Equal(["PF-T-FA-01", "PF-T-FA-02", "PF-T-FA-03", "PF-T-FA-04", "PF-T-FA-05", "PF-T-ST-01", "PF-T-ST-02", "PF-T-ST-03"],
            BuiltIn.Profile.Select(p => p.Id));
        Assert.All(BuiltIn.Profile, p => Assert.False(string.IsNullOrWhiteSpace(p.Group)));
    }

    [Fact]
    public void Built_in_stages_and_evidence_kinds_are_the_catalogs()
    {
        Assert.Equal([1, 2, 3, 4], BuiltIn.Stages.Select(s => s.Number));
        Assert.Equal(["Do", "Te", "Pr"], BuiltIn.EvidenceKinds.Select(e => e.Code));
    }

    [Fact]
    public void The_definition_survives_serialisation_with_the_catalog_options()
    {
        var json = JsonSerializer.Serialize(BuiltIn, CatalogJson.Options);

        var read = JsonSerializer.Deserialize<CatalogDefinition>(json, CatalogJson.Options)!;

        Assert.Equal(AllRequirements(BuiltIn).Select(r => (r.Id, r.Aspect, r.Text, r.Stage)), AllRequirements(read).Select(r => (r.Id, r.Aspect, r.Text, r.Stage)));
        Assert.Equal(ProtectionLevel.Medium, read.Dimension("RE").MinimumProtection);
        Assert.Equal(["Do", "Te"], AllRequirements(read).First(r => r.Id == "FN-R-FN-ME-01").Evidence!);
    }

    [Fact]
    public void A_syntax_error_names_its_line_and_position()
    {
        var file = Encoding.UTF8.GetBytes("{\n  \"key\": \"x\",\n  \"version\" \"1.0\"\n}");

        AssertOneErrorContaining(file, "The file is not valid JSON: line 3, position 13:");
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        AssertOneErrorContaining([], "The file is empty.");
    }

    [Fact]
    public void A_duplicate_identifier_is_refused_naming_where_it_was_first_used()
    {
        var file = BuiltInWith(root => RequirementById(root, "FN-R-FN-CR-02")["id"] = "FN-R-FN-CR-01");

        AssertOneErrorContaining(file,
            "dimensions[0].riskAreas[0].requirements[3] (FN-R-FN-CR-01): identifier 'FN-R-FN-CR-01' is used twice; it is already used at dimensions[0].riskAreas[0].requirements[2].");
    }

    [Fact]
    public void An_identifier_outside_the_scheme_is_refused()
    {
        var file = BuiltInWith(root => RequirementById(root, "RE-R-SC-ME-02")["id"] = "RE-SC-ME-2");

        AssertOneErrorContaining(file, "identifier 'RE-SC-ME-2' does not follow the scheme <dimension>-R-<risk area>-<aspect>-<two-digit number>, e.g. RE-R-SC-ME-01.");
    }

    [Fact]
    public void An_identifier_of_another_risk_area_or_aspect_is_refused()
    {
        var file = BuiltInWith(root =>
        {
            RequirementById(root, "RE-R-SC-ME-02")["id"] = "RE-R-RO-ME-42";
            RequirementById(root, "RE-R-SC-ME-03")["id"] = "RE-R-SC-CR-42";
        });

        var errors = ErrorsOf(file);

        Assert.Equal(2, errors.Count);
        Assert.Contains("identifier 'RE-R-RO-ME-42' does not match its place: a ME requirement of risk area RE-R-SC is numbered RE-R-SC-ME-NN", errors[0], StringComparison.Ordinal);
        Assert.Contains("identifier 'RE-R-SC-CR-42' does not match its place", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_measure_with_an_unknown_stage_is_refused()
    {
        var file = BuiltInWith(root => RequirementById(root, "S-R-FS-ME-03")["stage"] = 9);

        AssertOneErrorContaining(file, "(S-R-FS-ME-03): stage 9 is not one of the catalog's life-cycle stages (1, 2, 3, 4).");
    }

    [Fact]
    public void A_measure_without_a_stage_is_refused()
    {
        var file = BuiltInWith(root => RequirementById(root, "S-R-FS-ME-03").Remove("stage"));

        AssertOneErrorContaining(file, "(S-R-FS-ME-03): 'stage' is missing: every measure (ME) belongs to a life-cycle stage.");
    }

    [Fact]
    public void A_measure_with_an_unknown_evidence_code_is_refused()
    {
        var file = BuiltInWith(root => RequirementById(root, "DP-R-PD-ME-01")["evidence"] = new JsonArray("Do", "Xx"));

        AssertOneErrorContaining(file, "(DP-R-PD-ME-01): evidence code 'Xx' is not one of the catalog's evidence kinds (Do, Te, Pr).");
    }

    [Fact]
    public void A_risk_area_without_an_overall_assessment_is_refused()
    {
        var file = BuiltInWith(root =>
        {
            var requirements = Area(root, 3, 3)["requirements"]!.AsArray();
            requirements.Remove(requirements.Single(r => (string?)r!["aspect"] == "OA"));
        });

        AssertOneErrorContaining(file, "dimensions[3].riskAreas[3] (RE-R-UE): the risk area has no OA requirement (overall assessment); every risk area needs RI, CR, ME and OA.");
    }

    [Fact]
    public void A_risk_area_without_criteria_is_refused()
    {
        var file = BuiltInWith(root =>
        {
            var requirements = Area(root, 0, 1)["requirements"]!.AsArray();
            foreach (var criterion in requirements.Where(r => (string?)r!["aspect"] == "CR").ToList()) requirements.Remove(criterion);
        });

        AssertOneErrorContaining(file, "(FN-R-CD): the risk area has no CR requirement (criteria)");
    }

    [Fact]
    public void An_overall_assessment_with_a_numbered_identifier_is_refused()
    {
        var file = BuiltInWith(root => RequirementById(root, "RE-R-UE-OA")["id"] = "RE-R-UE-OA-01");

        AssertOneErrorContaining(file, "(RE-R-UE-OA-01): the overall assessment's identifier must be 'RE-R-UE-OA', not 'RE-R-UE-OA-01'.");
    }

    [Fact]
    public void A_missing_or_empty_text_is_refused()
    {
        var file = BuiltInWith(root =>
        {
            RequirementById(root, "AC-R-TD-RI-01").Remove("text");
            RequirementById(root, "AC-R-TD-RI-02")["help"] = "  ";
            root["profile"]![0]!["text"] = "";
        });

        var errors = ErrorsOf(file);

        Assert.Equal(
            [
                "profile[0] (PF-T-FA-01): 'text' is empty.",
                "dimensions[1].riskAreas[0].requirements[0] (AC-R-TD-RI-01): 'text' is missing.",
                "dimensions[1].riskAreas[0].requirements[1] (AC-R-TD-RI-02): 'help' is empty.",
            ],
            errors);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused()
    {
        var file = BuiltInWith(root =>
        {
            RequirementById(root, "TR-R-AU-ME-02")["stage"] = "two";
            root["dimensions"]![2]!["name"] = 7;
        });

        var errors = ErrorsOf(file);

        Assert.Equal(
            [
                "dimensions[2] (TR): 'name' must be text, not the number 7.",
                "dimensions[2].riskAreas[2].requirements[3] (TR-R-AU-ME-02): 'stage' must be a whole number, not the text \"two\".",
            ],
            errors);
    }

    [Fact]
    public void An_unknown_minimum_protection_is_refused()
    {
        var file = BuiltInWith(root => root["dimensions"]![3]!["minimumProtection"] = "Extreme");

        AssertOneErrorContaining(file, "dimensions[3] (RE): 'minimumProtection' must be Low, Medium or High, not 'Extreme'.");
    }

    [Fact]
    public void A_catalog_without_dimensions_is_refused()
    {
        var file = BuiltInWith(root => root["dimensions"] = new JsonArray());

        AssertOneErrorContaining(file, "catalog: 'dimensions' is empty; it needs at least one entry.");
    }

    [Fact]
    public void Missing_top_level_fields_and_unknown_fields_are_each_named()
    {
        var file = BuiltInWith(root =>
        {
            root.Remove("credit");
            root.Remove("crossDimensional");
            root["titel"] = "typo";
        });

        var errors = ErrorsOf(file);

        Assert.Contains(errors, e => e.StartsWith("catalog: unknown field 'titel'", StringComparison.Ordinal));
        Assert.Contains("catalog: 'credit' is missing.", errors);
        Assert.Contains("catalog: 'crossDimensional' is missing.", errors);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Only_measures_carry_a_stage_and_evidence()
    {
        var file = BuiltInWith(root => RequirementById(root, "DP-R-BI-CR-01")["stage"] = 2);

        AssertOneErrorContaining(file, "(DP-R-BI-CR-01): 'stage' belongs to measures (ME) only, not to a CR requirement.");
    }

    [Fact]
    public void Protection_summary_profile_and_cross_dimensional_identifiers_follow_the_scheme()
    {
        var file = BuiltInWith(root =>
        {
            root["dimensions"]![1]!["protection"]!["id"] = "AC-PR";
            root["dimensions"]![1]!["summary"]!["id"] = "FN-S";
            root["profile"]![7]!["id"] = "PF-ST-3";
            root["crossDimensional"]!["id"] = "X";
        });

        Assert.Equal(
            [
                "profile[7] (PF-ST-3): profile identifier 'PF-ST-3' does not follow the scheme PF-<category>-<group>-<two-digit number>, e.g. PF-T-FA-01.",
                "dimensions[1].protection (AC-PR): the identifier must be 'AC-P', not 'AC-PR'.",
                "dimensions[1].summary (FN-S): identifier 'FN-S' is used twice; it is already used at dimensions[0].summary.",
                "dimensions[1].summary (FN-S): the identifier must be 'AC-S', not 'FN-S'.",
                "crossDimensional (X): the identifier must be 'AT', not 'X'.",
            ],
            ErrorsOf(file));
    }

    [Fact]
    public void A_file_that_is_not_a_json_object_is_refused()
    {
        AssertOneErrorContaining(Encoding.UTF8.GetBytes("[1, 2]"), "The catalog must be a JSON object, not a list.");
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_at_once()
    {
        var file = BuiltInWith(root =>
        {
            RequirementById(root, "S-R-IA-ME-01")["stage"] = 0;
            RequirementById(root, "S-R-IA-ME-02")["evidence"] = new JsonArray("Photo");
            RequirementById(root, "DP-R-CD-RI-01")["id"] = "DP-R-CD-RI-1";
            root["version"] = "";
        });

        Assert.Equal(4, ErrorsOf(file).Count);
    }
}
