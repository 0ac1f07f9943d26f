using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProServ.Core.Common;
using ProServ.Core.Features.Board;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Features.Board;

/// A long board column in the real browser: the first cards come with the page, more load when the column is scrolled to
/// its last card or its "Load more" link is used from the keyboard, and a move keeps what was loaded.
public sealed class BoardLazyColumnTests(ProServAppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<T> Use<T>(Func<IServiceProvider, Task<T>> body)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await body(scope.ServiceProvider);
    }

    [Fact]
    public async Task LongColumn_LoadsMoreOnScrollAndFromTheKeyboard_AndAMoveKeepsTheLoadedCards()
    {
        var files = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.IWebHostEnvironment>().WebRootFileProvider;
        if (!files.GetFileInfo("lib/htmx.min.js").Exists || !files.GetFileInfo("lib/Sortable.min.js").Exists)
        {
            Assert.Skip("wwwroot/lib has no htmx/SortableJS: the build found no npm to restore them.");
        }
        var tag = Guid.NewGuid().ToString("n")[..6];
        var (todo, doing) = ($"lz{tag}::todo", $"lz{tag}::doing");
        var board = await Use(sp => sp.GetRequiredService<BoardService>().CreateAsync(Actor.System,
            new BoardInput($"Long {tag}", [todo, doing], $"label=long-{tag}"), Ct));
        var ids = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            var issue = await Use(sp => sp.GetRequiredService<IssueService>().CreateAsync(Actor.System,
                new IssueInput($"Long card {i} {tag}", "", "other", [$"long-{tag}", todo], null, null, null, null, null, false), Ct));
            ids.Add(issue.Id.ToString(CultureInfo.InvariantCulture));
        }

        var page = await app.NewPageAsync();
        var errors = new List<string>();
        // Any script error or failed request fails the test (a CSP violation is reported as a console error too); the
        // browser's own favicon request is not the page's and the app has none.
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Location.Contains("/favicon.ico", StringComparison.Ordinal)) errors.Add($"{m.Text} ({m.Location})");
        };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("account/sign-in");
        await page.GetByLabel("E-mail address").FillAsync(ProServAppFixture.AdminEmail);
        await page.GetByLabel("Password").FillAsync(ProServAppFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("sign-in", StringComparison.Ordinal));

        await page.GotoAsync($"board/{board.Id}");
        var cards = page.Locator($"ol.cards[data-column='{todo}'] li.board-card");
        var column = page.Locator("section.board-column").Filter(new() { Has = page.Locator($"ol.cards[data-column='{todo}']") });
        await Assertions.Expect(cards).ToHaveCountAsync(20);
        await Assertions.Expect(column.Locator(".column-more")).ToContainTextAsync("Showing 20 of 45");

        // Scrolling the column to its last card fetches the next ones, in order.
        await cards.Last.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(cards).ToHaveCountAsync(40);
        await Assertions.Expect(cards.Nth(20)).ToHaveAttributeAsync("data-id", ids[20]);
        await Assertions.Expect(column.Locator(".column-more")).ToContainTextAsync("Showing 40 of 45");

        // Keyboard: the "Load more" link is reachable and loads the rest; at the end the link goes and focus moves to the last card.
        var more = column.GetByRole(AriaRole.Link, new() { Name = "Load more" });
        await more.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(cards).ToHaveCountAsync(45);
        await Assertions.Expect(cards.Last).ToHaveAttributeAsync("data-id", ids[44]);
        await Assertions.Expect(more).ToHaveCountAsync(0);
        await Assertions.Expect(column.Locator(".column-more")).ToContainTextAsync("All 45 cards shown");
        await Assertions.Expect(cards.Last).ToBeFocusedAsync();

        // A keyboard move of a card that was loaded later re-renders the columns with what was loaded, not just the first 20.
        await page.Locator($"li.board-card[data-id='{ids[30]}']").FocusAsync();
        await page.Keyboard.PressAsync("Alt+ArrowRight");
        var doingCards = page.Locator($"ol.cards[data-column='{doing}'] li.board-card");
        await Assertions.Expect(doingCards).ToHaveCountAsync(1);
        await Assertions.Expect(doingCards.First).ToHaveAttributeAsync("data-id", ids[30]);
        await Assertions.Expect(cards).ToHaveCountAsync(44);
        await Assertions.Expect(page.Locator($"li.board-card[data-id='{ids[30]}']")).ToBeFocusedAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
