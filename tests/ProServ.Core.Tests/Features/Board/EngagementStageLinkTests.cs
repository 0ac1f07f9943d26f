using ProServ.Core.Common;
using ProServ.Core.Features.Board;

namespace ProServ.Core.Tests.Features.Board;

/// The rule both the issue editor and the board apply: a linked issue keeps a stage:: label; changing it asks the
/// engagement to move.
public sealed class EngagementStageLinkTests
{
    private static Label Stage(string stage) => new() { Id = Guid.NewGuid(), Name = "stage::" + stage, Key = "stage::" + stage, Scope = "stage" };

    private static readonly Label Plain = new() { Id = Guid.NewGuid(), Name = "bug", Key = "bug" };

    private static Issue Linked() => new() { Id = 7, Title = "t", EngagementId = Guid.NewGuid() };

    [Fact]
    public void ANewStage_IsTheStageToAskFor() =>
        Assert.Equal("scoping", EngagementStageLink.StageChange(Linked(), "requested", [Plain, Stage("scoping")]));

    [Fact]
    public void TheSameStage_AsksForNothing() =>
        Assert.Null(EngagementStageLink.StageChange(Linked(), "requested", [Stage("requested"), Plain]));

    [Fact]
    public void RemovingTheStage_IsRefusedWithTheRule()
    {
        var e = Assert.Throws<RuleViolationException>(() => EngagementStageLink.StageChange(Linked(), "requested", [Plain]));
        Assert.Equal(EngagementStageLink.Rule, e.Rule);
        Assert.Equal(IssueService.EngagementStageRule, e.Rule);
    }

    [Fact]
    public void AnIssueWithoutEngagement_FollowsNoStage() =>
        Assert.Null(EngagementStageLink.StageChange(new Issue { Id = 8, Title = "t" }, "requested", [Plain]));
}
