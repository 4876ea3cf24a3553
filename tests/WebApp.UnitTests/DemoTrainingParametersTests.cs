using WebApp.Domain.Training;

namespace WebApp.UnitTests;

public class DemoTrainingParametersTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(new DemoTrainingParameters().Validate());

    [Theory]
    [InlineData(0, 16, 0.05, "Epochs")]
    [InlineData(10, 0, 0.05, "Hidden units")]
    [InlineData(10, 16, 0, "Learning rate")]
    [InlineData(10, 16, -1, "Learning rate")]
    public void Out_of_range_values_are_named_in_the_message(int epochs, int hidden, double rate, string field)
    {
        var errors = new DemoTrainingParameters(epochs, hidden, rate).Validate().ToList();
        Assert.Single(errors);
        Assert.StartsWith(field, errors[0], StringComparison.Ordinal);
    }
}

public class DemoTrainingJobContractTests
{
    [Fact]
    public void The_retry_policy_sits_on_the_enqueued_interface_method_where_Hangfire_reads_it()
    {
        var method = typeof(IDemoTrainingJob).GetMethod(nameof(IDemoTrainingJob.RunAsync))!;
        var retry = (Hangfire.AutomaticRetryAttribute?)Attribute.GetCustomAttribute(method, typeof(Hangfire.AutomaticRetryAttribute));

        Assert.Equal(2, retry?.Attempts);
    }
}
