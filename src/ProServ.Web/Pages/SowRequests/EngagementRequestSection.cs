using ProServ.Core.Features.SowRequests;
using ProServ.Web.Pages.Engagements;

namespace ProServ.Web.Pages.SowRequests;

/// The SOW request the engagement was filed from, with its labels.
public sealed class EngagementRequestSection(SowRequestService requests) : IEngagementSection
{
    public string Anchor => "request";
    public int Order => 100;
    public string Partial => "/Pages/SowRequests/_EngagementRequest.cshtml";
    public string? Policy => null;

    public async Task<object> LoadAsync(EngagementSectionContext context, CancellationToken ct) =>
        new EngagementRequestView(await requests.GetForEngagementAsync(context.Actor, context.EngagementId, ct));
}

public sealed record EngagementRequestView(SowRequestDto? Request);
