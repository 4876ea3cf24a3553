using WebApp.Domain.Training;

namespace WebApp.UnitTests.Training;

public class ProgressTextTests
{
    [Theory]
    [InlineData(3_250_586, 12_582_912, "3.1/12 MB read")]
    [InlineData(122_880, 460_800, "120/450 kB read")]
    [InlineData(300, 900, "300/900 bytes read")]
    [InlineData(0, 5L * 1024 * 1024 * 1024, "0/5 GB read")]
    [InlineData(12_582_912, 12_582_912, "12/12 MB read")]
    public void Bytes_are_said_in_the_unit_of_the_total(long read, long total, string expected) =>
        Assert.Equal(expected, ProgressText.BytesRead(read, total));
}
