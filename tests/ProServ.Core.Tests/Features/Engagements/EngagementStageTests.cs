using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Tests.Features.Engagements;

public sealed class EngagementStageTests
{
    [Theory]
    [InlineData("requested", "scoping")]
    [InlineData("scoping", "quoted")]
    [InlineData("quoted", "sow-review")]
    [InlineData("sow-review", "signed")]
    [InlineData("signed", "scheduled")]
    [InlineData("scheduled", "in-delivery")]
    [InlineData("in-delivery", "closed")]
    public void TheHappyPath_IsAllowed(string from, string to) => Assert.True(EngagementStage.CanMove(from, to));

    [Theory]
    [InlineData("requested", "signed")]
    [InlineData("requested", "scheduled")]
    [InlineData("quoted", "scheduled")]
    [InlineData("signed", "in-delivery")]
    [InlineData("closed", "requested")]
    [InlineData("cancelled", "requested")]
    [InlineData("closed", "cancelled")]
    [InlineData("requested", "requested")]
    [InlineData("requested", "unknown")]
    public void SkippingOrReopening_IsRefused(string from, string to) => Assert.False(EngagementStage.CanMove(from, to));

    [Fact]
    public void EveryOpenStage_CanBeCancelled()
    {
        foreach (var stage in EngagementStage.All.Where(EngagementStage.IsOpen))
        {
            Assert.True(EngagementStage.CanMove(stage, EngagementStage.Cancelled), stage);
        }
        Assert.Empty(EngagementStage.NextStages(EngagementStage.Closed));
        Assert.Empty(EngagementStage.NextStages(EngagementStage.Cancelled));
    }
}
