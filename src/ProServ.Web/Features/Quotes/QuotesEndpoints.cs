using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Common;
using ProServ.Core.Features.Quotes;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Quotes;

public sealed record QuoteBody(string? Currency, string? ValidUntil, IReadOnlyList<QuoteLineInput>? Lines, DiscountInput? Discount, string? Notes);

public sealed record QuoteDecisionBody(string? Comment, int? RowVersion);

public sealed record QuoteIssueBody(int? RowVersion);

internal static class QuotesEndpoints
{
    public static void MapQuotes(this IEndpointRouteBuilder app)
    {
        var e = app.MapApi("/engagements", "Quotes");
        e.MapPost("/{id:guid}/quotes", Create).WithName("CreateQuote")
            .WithSummary("Adds the next numbered version of the engagement's quote. Per-hour or per-day lines are refused (no-hourly-rates); any discount puts the quote in awaiting-approval. ?dryRun=true answers every rule that would fire, the bad fields and the totals, and saves nothing.")
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        e.MapGet("/{id:guid}/quotes", ForEngagement).WithName("ListEngagementQuotes");
        e.MapGet("/{id:guid}/quotes/current", Current).WithName("GetCurrentQuote")
            .WithSummary("The latest issued or approved version: what the SOW document is built from.");

        var g = app.MapApi("/quotes", "Quotes");
        g.MapGet("/", List).WithName("ListQuotes").WithSummary("Quotes, e.g. ?status=awaiting-approval for the director's inbox.");
        g.MapGet("/{id:guid}", Get).WithName("GetQuote");
        g.MapPost("/{id:guid}/approve", Approve).WithName("ApproveQuote")
            .WithSummary("Approves the quote's discount (Director of Customer Success only).")
            .RequireAuthorization(AuthorizationPolicies.ApproveDiscounts);
        g.MapPost("/{id:guid}/reject", Reject).WithName("RejectQuote")
            .WithSummary("Rejects the quote's discount, with a comment (Director of Customer Success only).")
            .RequireAuthorization(AuthorizationPolicies.ApproveDiscounts);
        g.MapPost("/{id:guid}/issue", Issue).WithName("IssueQuote")
            .WithSummary("Issues the quote to the customer; refused with discount-needs-approval while a discount is not approved.")
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
    }

    private static async Task<Results<Created<QuoteDto>, Ok<QuoteCheck>>> Create(Guid id, QuoteBody body, ClaimsPrincipal user,
        QuoteService quotes, bool? dryRun, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var validUntil = JsonInput.Date(body.ValidUntil, "validUntil", errors);
        errors.ThrowIfAny();
        var input = new QuoteInput(body.Currency, validUntil, body.Lines, body.Discount, body.Notes);
        if (dryRun == true)
        {
            return TypedResults.Ok(await quotes.CheckAsync(user.Actor(), id, input, ct));
        }
        var quote = await quotes.CreateAsync(user.Actor(), id, input, ct);
        return TypedResults.Created($"/api/v1/quotes/{quote.Id}", quote);
    }

    private static async Task<Ok<IReadOnlyList<QuoteDto>>> ForEngagement(Guid id, ClaimsPrincipal user, QuoteService quotes, CancellationToken ct) =>
        TypedResults.Ok(await quotes.ListForEngagementAsync(user.Actor(), id, ct));

    private static async Task<Results<Ok<QuoteDto>, NotFound>> Current(Guid id, ClaimsPrincipal user, QuoteService quotes, CancellationToken ct) =>
        await quotes.GetCurrentForEngagementAsync(user.Actor(), id, ct) is { } q ? TypedResults.Ok(q) : TypedResults.NotFound();

    private static async Task<Ok<PageDto<QuoteDto>>> List(ClaimsPrincipal user, QuoteService quotes, string? status, Guid? engagementId,
        int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<QuoteDto>.From(await quotes.ListAsync(user.Actor(), new QuoteQuery(status, engagementId),
            ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Ok<QuoteDto>> Get(Guid id, ClaimsPrincipal user, QuoteService quotes, CancellationToken ct) =>
        TypedResults.Ok(await quotes.GetAsync(user.Actor(), id, ct));

    private static async Task<Ok<QuoteDto>> Approve(Guid id, QuoteDecisionBody? body, ClaimsPrincipal user, QuoteService quotes, CancellationToken ct) =>
        TypedResults.Ok(await quotes.ApproveAsync(user.Actor(), id, body?.Comment, body?.RowVersion, ct));

    private static async Task<Ok<QuoteDto>> Reject(Guid id, QuoteDecisionBody? body, ClaimsPrincipal user, QuoteService quotes, CancellationToken ct) =>
        TypedResults.Ok(await quotes.RejectAsync(user.Actor(), id, body?.Comment, body?.RowVersion, ct));

    private static async Task<Ok<QuoteDto>> Issue(Guid id, QuoteIssueBody? body, ClaimsPrincipal user, QuoteService quotes, CancellationToken ct) =>
        TypedResults.Ok(await quotes.IssueAsync(user.Actor(), id, body?.RowVersion, ct));
}
