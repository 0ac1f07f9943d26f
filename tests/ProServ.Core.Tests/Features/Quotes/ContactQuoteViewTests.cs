using ProServ.Core.Common;
using ProServ.Core.Features.Quotes;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Tests.Features.Quotes;

/// The one place that decides what of a quote a customer sees: prices and totals, not how the team priced it.
public sealed class ContactQuoteViewTests
{
    private static Quote IssuedQuote() => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = Guid.NewGuid(),
        Number = 2,
        Status = QuoteStatus.Issued,
        Currency = "USD",
        Subtotal = 10000m,
        DiscountTotal = 1000m,
        Total = 9000m,
        DiscountPercent = 10m,
        Notes = "Margin is thin; do not go lower.",
        DecidedAt = DateTimeOffset.UnixEpoch,
        DecidedByName = "Dana Director",
        DecisionComment = "Strategic account",
        Lines =
        [
            new QuoteLine
            {
                Id = Guid.NewGuid(), Description = "Migration", Unit = "fixed", Quantity = 1, UnitPrice = 10000m, RomLow = 4000m,
                RomHigh = 8000m, OutsideRom = true, Justification = "Two data centres", Subtotal = 10000m, Total = 10000m,
            },
        ],
    };

    [Fact]
    public void Contact_GetsPricesAndTotals_ButNoNotesDecisionOrRomDetail()
    {
        var quote = IssuedQuote();
        var contact = new Actor(Guid.NewGuid(), "Casey", new HashSet<string>(StringComparer.Ordinal) { Role.CustomerContact }, quote.CustomerId);

        var seen = QuoteService.ToDto(contact, quote);

        Assert.Null(seen.Notes);
        Assert.Null(seen.Decision);
        var line = Assert.Single(seen.Lines);
        Assert.Null(line.RomLow);
        Assert.Null(line.RomHigh);
        Assert.False(line.OutsideRom);
        Assert.Null(line.Justification);
        Assert.Equal(10000m, line.UnitPrice);
        Assert.Equal(9000m, seen.Total);
        Assert.Equal(1000m, seen.DiscountTotal);
    }

    [Fact]
    public void Staff_GetsTheWholeQuote()
    {
        var quote = IssuedQuote();

        var seen = QuoteService.ToDto(Actor.System, quote);

        Assert.Equal("Margin is thin; do not go lower.", seen.Notes);
        Assert.Equal("Strategic account", seen.Decision?.Comment);
        Assert.Equal(4000m, seen.Lines[0].RomLow);
        Assert.Equal("Two data centres", seen.Lines[0].Justification);
    }
}
