using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Quotes;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Quotes;

/// The quote builder: package lines within their ROM range (or justified), custom lines, discounts, live totals.
[Authorize(Policy = AuthorizationPolicies.ManageAccounts)]
public sealed class NewQuoteModel(EngagementService engagements, CatalogService catalog, QuoteService quotes, TimeProvider clock) : ProServPageModel
{
    public const int Rows = 6;

    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty]
    public QuoteForm Input { get; set; } = new();

    public EngagementDto Engagement { get; private set; } = null!;
    public IReadOnlyList<OfferingDto> Offerings { get; private set; } = [];
    public IReadOnlyList<string> Currencies { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input.ValidUntil = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Input.Currency = Currencies.FirstOrDefault() ?? "USD";
        // Start with one line per package of the engagement's offerings, priced at the bottom of the range.
        var mine = Engagement.Offerings.Select(o => o.Id).ToHashSet();
        Input.Lines = Offerings.Where(o => mine.Contains(o.Id)).SelectMany(o => o.Packages.Take(1))
            .Select(p => new LineForm { PackageId = p.Id, Quantity = 1, UnitPrice = p.RomLow }).ToList();
        while (Input.Lines.Count < Rows) Input.Lines.Add(new LineForm());
    }

    /// The outcome of "Check": the rules that would fire and the totals, nothing saved.
    public QuoteCheck? Check { get; private set; }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        Check = await quotes.CheckAsync(Actor, Id, ToInput(), ct);
        AddErrors(new ProServ.Core.Common.ValidationFailedException(Check.Errors), "Input");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var quote = await quotes.CreateAsync(Actor, Id, ToInput(), ct);
        Flash(quote.Status == QuoteStatus.AwaitingApproval
            ? $"Version {quote.Number} saved; its discount awaits the Director of Customer Success."
            : $"Version {quote.Number} saved.");
        return Redirect($"/sow/quotes/{quote.Id}");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    /// Empty rows of the form are not lines. Line numbers in errors are positions among the sent lines, so the
    /// form keeps filled rows first.
    private QuoteInput ToInput()
    {
        var lines = Input.Lines.Where(l => l.PackageId is not null || !string.IsNullOrWhiteSpace(l.Description) || l.UnitPrice is not null).ToList();
        Input.Lines = [.. lines];
        var validUntil = DateOnly.TryParseExact(Input.ValidUntil, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : (DateOnly?)null;
        return new QuoteInput(Input.Currency, validUntil,
            lines.Select(l => new QuoteLineInput(l.PackageId, l.Description, l.PackageId is null ? l.Unit : null, l.Quantity, l.UnitPrice, l.Justification,
                Discount(l.DiscountKind, l.DiscountValue))).ToList(),
            Discount(Input.DiscountKind, Input.DiscountValue), Input.Notes);
    }

    private static DiscountInput? Discount(string? kind, decimal? value) => value is not { } v || v == 0 ? null
        : kind == "amount" ? new DiscountInput(null, v) : new DiscountInput(v, null);

    private async Task LoadAsync(CancellationToken ct)
    {
        Engagement = await engagements.GetAsync(Actor, Id, ct);
        Offerings = await catalog.ListAsync(false, ct);
        Currencies = Offerings.SelectMany(o => o.Packages).Select(p => p.Currency.Trim().ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        while (Input.Lines.Count < Rows) Input.Lines.Add(new LineForm());
    }

    public sealed class QuoteForm
    {
        public string? Currency { get; set; }
        public string? ValidUntil { get; set; }
        public List<LineForm> Lines { get; set; } = [];
        public string? DiscountKind { get; set; } = "percent";
        public decimal? DiscountValue { get; set; }
        public string? Notes { get; set; }
    }

    public sealed class LineForm
    {
        public Guid? PackageId { get; set; }
        public string? Description { get; set; }
        public string? Unit { get; set; }
        public decimal? Quantity { get; set; }
        public decimal? UnitPrice { get; set; }
        public string? Justification { get; set; }
        public string? DiscountKind { get; set; } = "percent";
        public decimal? DiscountValue { get; set; }
    }
}
