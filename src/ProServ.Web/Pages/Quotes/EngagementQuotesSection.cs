using ProServ.Core.Features.Quotes;
using ProServ.Web.Auth;
using ProServ.Web.Pages.Engagements;

namespace ProServ.Web.Pages.Quotes;

/// Every quote version of the engagement, and the way to draft the next one.
public sealed class EngagementQuotesSection(QuoteService quotes) : IEngagementSection
{
    public string Anchor => "quotes";
    public int Order => 300;
    public string Partial => "/Pages/Quotes/_EngagementQuotes.cshtml";
    public string? Policy => null;

    public async Task<object> LoadAsync(EngagementSectionContext context, CancellationToken ct) =>
        new EngagementQuotesView(context.EngagementId,
            await quotes.ListForEngagementAsync(context.Actor, context.EngagementId, ct),
            await context.IsAllowedAsync(AuthorizationPolicies.ManageAccounts));
}

public sealed record EngagementQuotesView(Guid EngagementId, IReadOnlyList<QuoteDto> Quotes, bool CanManage);
