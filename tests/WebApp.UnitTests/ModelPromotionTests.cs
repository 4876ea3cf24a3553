using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;

namespace WebApp.UnitTests;

public class ModelPromotionTests
{
    [Fact]
    public void Gold_F1_decides_where_both_have_it_and_the_tolerance_is_inclusive()
    {
        var active = new HeldOutMeasure(0.622, 0.80);
        var slightlyWorse = ModelPromotion.Decide(new HeldOutMeasure(0.612, 0.95), active, 3, 0.01);
        Assert.True(slightlyWorse.Promote);
        Assert.Equal(ModelPromotion.GoldF1, slightlyWorse.Measure);
        Assert.Equal("gold F1 0.612 is not worse than active v3's 0.622 (tolerance 0.010)", slightlyWorse.Reason);

        // The case that made the loop worse: 0.622 → 0.443, even though its AUC is higher.
        var worse = ModelPromotion.Decide(new HeldOutMeasure(0.443, 0.95), active, 3, 0.01);
        Assert.False(worse.Promote);
        Assert.Equal(PromotionOutcomes.Kept, worse.Outcome);
        Assert.Equal("gold F1 0.443 is worse than active v3's 0.622 by 0.179, more than the tolerance 0.010", worse.Reason);
    }

    [Fact]
    public void Held_out_AUC_decides_without_gold_on_either_side()
    {
        var decision = ModelPromotion.Decide(new HeldOutMeasure(null, 0.70), new HeldOutMeasure(0.9, 0.75), 1, 0.02);
        Assert.False(decision.Promote);
        Assert.Equal(ModelPromotion.HeldOutAuc, decision.Measure);
        Assert.Equal((0.70, 0.75), (decision.Candidate, decision.Active));

        Assert.True(ModelPromotion.Decide(new HeldOutMeasure(null, 0.74), new HeldOutMeasure(null, 0.75), 1, 0.02).Promote);
        Assert.True(ModelPromotion.Decide(new HeldOutMeasure(null, 0.80), new HeldOutMeasure(null, 0.75), 1, 0).Promote);
        Assert.False(ModelPromotion.Decide(new HeldOutMeasure(null, 0.7499), new HeldOutMeasure(null, 0.75), 1, 0).Promote);
    }

    [Fact]
    public void Without_an_active_version_the_first_is_promoted_and_a_broken_measure_never_is()
    {
        var first = ModelPromotion.Decide(new HeldOutMeasure(0.3, 0.5), null, null, 0.01);
        Assert.True(first.Promote);
        Assert.Equal("the project had no active version", first.Reason);
        Assert.False(ModelPromotion.Decide(new HeldOutMeasure(null, double.NaN), new HeldOutMeasure(null, 0.5), 1, 0.01).Promote);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelPromotion.Decide(new HeldOutMeasure(null, 0.5), null, null, -0.1));
    }

    [Fact]
    public void Standing_settings_default_to_the_measured_ones_on_the_retrain_queue_and_always_ask_to_be_promoted()
    {
        var project = new RelationProject { Id = 5 };
        var parameters = StandingTraining.ParametersFor(project);
        Assert.Equal(new RelationTrainingParameters(5) with { ActivateWhenDone = true }, parameters);
        Assert.Equal(JobQueues.Retrain, StandingTraining.QueueFor(project));

        project.StandingTraining = StandingTraining.Serialize(new RelationTrainingParameters(99, Epochs: 3, WarmStart: true));
        project.StandingTrainingQueue = JobQueues.Gpu;
        parameters = StandingTraining.ParametersFor(project);
        Assert.Equal((5, 3, true, true), (parameters.ProjectId, parameters.Epochs, parameters.WarmStart, parameters.ActivateWhenDone));
        Assert.Equal(JobQueues.Gpu, StandingTraining.QueueFor(project));

        project.StandingTraining = "{not json";
        Assert.Equal(new RelationTrainingParameters(5).Epochs, StandingTraining.ParametersFor(project).Epochs);
        Assert.Empty(StandingTraining.Validate(new RelationTrainingParameters(5), JobQueues.Retrain, 0.01));
        Assert.Single(StandingTraining.Validate(new RelationTrainingParameters(5), JobQueues.Default, 0.01));
        Assert.Single(StandingTraining.Validate(new RelationTrainingParameters(5), JobQueues.Retrain, 1.5));
    }
}
