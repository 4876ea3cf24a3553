using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.ActiveLearning;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Web.Training;

namespace WebApp.UnitTests.Training;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.")]
public sealed class ParametersFormTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public ParametersFormTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static IReadOnlyList<ParameterField> FieldsOf(string kind) =>
        ParameterField.For(TrainingJobStarter.DefaultParameters(kind).GetType(), TrainingJobStarter.Choices(kind));

    [Fact]
    public void Relation_training_fields_follow_the_parameters_record_with_its_choices_and_optional_values()
    {
        var fields = FieldsOf(JobKinds.RelationTraining).ToDictionary(f => f.Name);

        Assert.Equal("projectId", FieldsOf(JobKinds.RelationTraining)[0].Name); // the constructor's order
        Assert.Equal((ParameterEditor.Reference, "Project", false), (fields["projectId"].Editor, fields["projectId"].Label, fields["projectId"].IsOptional));
        Assert.Equal(ParameterEditor.Choice, fields["aggregation"].Editor);
        Assert.Equal(BagAggregations.All, fields["aggregation"].Choices);
        Assert.Equal((ParameterEditor.Number, "Learning rate"), (fields["learningRate"].Editor, fields["learningRate"].Label));
        Assert.Equal(ParameterEditor.WholeNumber, fields["epochs"].Editor);
        Assert.Equal((ParameterEditor.Number, true), (fields["naSamplingRatio"].Editor, fields["naSamplingRatio"].IsOptional));
        Assert.Equal(ParameterEditor.Switch, fields["warmStart"].Editor);
        Assert.Equal(typeof(RelationTrainingParameters).GetConstructors().Max(c => c.GetParameters().Length), fields.Count);
    }

    [Fact]
    public void Novelty_settings_are_a_group_with_size_lists_and_the_clustering_is_an_optional_reference()
    {
        var fields = FieldsOf(JobKinds.NoveltyTraining).ToDictionary(f => f.Name);
        var curves = FieldsOf(JobKinds.LearningCurve).ToDictionary(f => f.Name);

        Assert.Equal((ParameterEditor.Reference, true), (fields["clusteringId"].Editor, fields["clusteringId"].IsOptional));
        Assert.Equal((ParameterEditor.Text, true), (fields["name"].Editor, fields["name"].IsOptional));
        var settings = fields["settings"];
        Assert.Equal(ParameterEditor.Group, settings.Editor);
        Assert.Equal(ParameterEditor.WholeNumbers, settings.Fields.Single(f => f.Name == "embeddingSizes").Editor);
        Assert.Equal("Top g", settings.Fields.Single(f => f.Name == "topG").Label);
        Assert.Equal((ParameterEditor.ChoiceList, true), (curves["strategies"].Editor, curves["strategies"].IsOptional));
        Assert.Equal(LearningCurveParameters.DefaultStrategies, curves["strategies"].Choices);
        Assert.Equal(typeof(NoveltyTrainingSettings).GetConstructors().Max(c => c.GetParameters().Length), settings.Fields.Count);
    }

    [Fact]
    public void Editing_a_field_writes_the_json_the_launcher_reads_and_says_so()
    {
        var values = (JsonObject)JsonNode.Parse(TrainingJobStarter.DefaultParametersJson(JobKinds.RelationTraining))!;
        var changes = 0;
        var form = _context.Render<ParametersForm>(p => p
            .Add(f => f.Fields, FieldsOf(JobKinds.RelationTraining))
            .Add(f => f.Values, values)
            .Add(f => f.Changed, () => changes++));

        form.Find("[data-parameter='epochs'] input").Change("77");
        form.Find("[data-parameter='learningRate'] input").Change("0.01");

        Assert.Equal(2, changes);
        Assert.Equal(77, values["epochs"]!.GetValue<int>());
        Assert.Equal(0.01, values["learningRate"]!.GetValue<double>());
        Assert.Equal("att", values["aggregation"]!.GetValue<string>()); // untouched defaults stay
        Assert.Empty(TrainingJobStarter.Validate(JobKinds.RelationTraining, values.ToJsonString(), JobQueues.Default));
    }

    [Fact]
    public void A_size_list_that_is_not_whole_numbers_is_kept_as_typed_so_the_launcher_refuses_it()
    {
        var values = (JsonObject)JsonNode.Parse(TrainingJobStarter.DefaultParametersJson(JobKinds.NoveltyTraining))!;
        var form = _context.Render<ParametersForm>(p => p
            .Add(f => f.Fields, FieldsOf(JobKinds.NoveltyTraining))
            .Add(f => f.Values, values));

        form.Find("[data-parameter='hiddenSizes'] input").Change("32, 64");
        Assert.Equal("[32,64]", values["settings"]!["hiddenSizes"]!.ToJsonString());

        form.Find("[data-parameter='hiddenSizes'] input").Change("32, many");
        Assert.Equal("\"32, many\"", values["settings"]!["hiddenSizes"]!.ToJsonString());
        Assert.Contains(TrainingJobStarter.Validate(JobKinds.NoveltyTraining, values.ToJsonString(), JobQueues.Default),
            e => e.StartsWith("The parameters are not valid JSON for this job type", StringComparison.Ordinal));
    }
}
