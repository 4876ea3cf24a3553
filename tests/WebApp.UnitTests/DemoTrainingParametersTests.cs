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
