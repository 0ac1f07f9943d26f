namespace ProServ.Core.Features.Engagements;

/// The stages of an engagement and the only moves between them:
/// requested → scoping → quoted → sow-review → signed → scheduled → in-delivery → closed,
/// and cancelled from any open stage. Scoping may be skipped when the rules do not require it.
public static class EngagementStage
{
    public const string Requested = "requested";
    public const string Scoping = "scoping";
    public const string Quoted = "quoted";
    public const string SowReview = "sow-review";
    public const string Signed = "signed";
    public const string Scheduled = "scheduled";
    public const string InDelivery = "in-delivery";
    public const string Closed = "closed";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } =
        [Requested, Scoping, Quoted, SowReview, Signed, Scheduled, InDelivery, Closed, Cancelled];

    private static readonly Dictionary<string, string[]> Forward = new(StringComparer.Ordinal)
    {
        [Requested] = [Scoping, Quoted],
        [Scoping] = [Quoted],
        [Quoted] = [SowReview, Scoping],
        [SowReview] = [Signed, Quoted],
        [Signed] = [Scheduled],
        [Scheduled] = [InDelivery],
        [InDelivery] = [Closed],
        [Closed] = [],
        [Cancelled] = [],
    };

    public static bool IsKnown(string stage) => Forward.ContainsKey(stage);

    public static bool IsOpen(string stage) => stage is not (Closed or Cancelled);

    /// The stages reachable from <paramref name="from"/> in one move.
    public static IReadOnlyList<string> NextStages(string from)
    {
        if (!Forward.TryGetValue(from, out var next))
        {
            return [];
        }
        return IsOpen(from) ? [.. next, Cancelled] : next;
    }

    public static bool CanMove(string from, string to) => NextStages(from).Contains(to);
}
