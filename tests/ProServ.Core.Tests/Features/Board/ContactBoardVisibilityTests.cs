using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Users;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Features.Board;

/// Boards and labels are the team's: a customer contact sees none of them, whichever customer they were made for.
public sealed class ContactBoardVisibilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Actor Staff = Actor.System;

    public static TheoryData<DatabaseProvider> Providers => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    private static Actor Contact(Guid customerId) =>
        new(Guid.NewGuid(), "Casey Contact", new HashSet<string>(StringComparer.Ordinal) { Role.CustomerContact }, customerId);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Contact_SeesNoBoardsOrLabels_EvenThoseMadeForItsOwnCustomer(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var own = Guid.NewGuid();
        var other = Guid.NewGuid();
        var label = await db.InScopeAsync(sp => sp.GetRequiredService<LabelService>()
            .CreateAsync(Staff, new LabelInput("globex-only", "#112233", "Work for Globex"), Ct));
        var boards = new List<BoardDto>();
        foreach (var customer in new[] { own, other })
        {
            boards.Add(await db.InScopeAsync(sp => sp.GetRequiredService<BoardService>()
                .CreateAsync(Staff, new BoardInput($"Board {customer}", ["globex-only"], $"customerId={customer}"), Ct)));
        }
        var contact = Contact(own);

        Assert.Empty(await db.InScopeAsync(sp => sp.GetRequiredService<BoardService>().ListAsync(contact, Ct)));
        foreach (var board in boards)
        {
            await Assert.ThrowsAsync<NotFoundException>(() => db.InScopeAsync(sp => sp.GetRequiredService<BoardService>().GetAsync(contact, board.Id, Ct)));
            await Assert.ThrowsAsync<NotFoundException>(() => db.InScopeAsync(sp => sp.GetRequiredService<BoardService>()
                .ViewAsync(contact, board.Id, null, BoardService.DefaultCardsPerColumn, Ct)));
        }
        var labels = await db.InScopeAsync(sp => sp.GetRequiredService<LabelService>().ListAsync(contact, null, new PageRequest(1, 100), Ct));
        Assert.Empty(labels.Items);
        Assert.Equal(0, labels.Total);
        await Assert.ThrowsAsync<NotFoundException>(() => db.InScopeAsync(sp => sp.GetRequiredService<LabelService>().GetAsync(contact, label.Id, Ct)));

        // The team still sees them all.
        Assert.Equal(2, (await db.InScopeAsync(sp => sp.GetRequiredService<BoardService>().ListAsync(Staff, Ct))).Count(b => b.Name.StartsWith("Board ", StringComparison.Ordinal)));
        Assert.Contains((await db.InScopeAsync(sp => sp.GetRequiredService<LabelService>().ListAsync(Staff, "globex", new PageRequest(1, 100), Ct))).Items,
            l => l.Id == label.Id);
    }
}
