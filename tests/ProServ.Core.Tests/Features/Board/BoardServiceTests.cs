using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Features.Board;

/// The board's services on real databases. Every test runs on SQLite and on PostgreSQL.
public sealed class BoardServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Actor Staff = Actor.System;

    public static TheoryData<DatabaseProvider> Providers => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    private static Actor Contact(Guid customerId) =>
        new(Guid.NewGuid(), "Casey Contact", new HashSet<string>(StringComparer.Ordinal) { Role.CustomerContact }, customerId);

    private static Task<T> Issues<T>(TestDatabase db, Func<IssueService, Task<T>> body) =>
        db.InScopeAsync(sp => body(sp.GetRequiredService<IssueService>()));

    private static Task<T> Boards<T>(TestDatabase db, Func<BoardService, Task<T>> body) =>
        db.InScopeAsync(sp => body(sp.GetRequiredService<BoardService>()));

    private static Task<IssueDto> NewIssue(TestDatabase db, string title, string[]? labels = null, Guid? customerId = null,
        bool confidential = false, string? description = null, Guid? engagementId = null, string type = "other") =>
        Issues(db, s => s.CreateAsync(Staff, new IssueInput(title, description ?? "", type, labels, null, null, null, customerId, engagementId, confidential), Ct));

    private static Task<CustomerDto> NewCustomer(TestDatabase db, string name) =>
        db.InScopeAsync(sp => sp.GetRequiredService<CustomerService>().CreateAsync(Staff,
            new CustomerInput(name, "premium", 100, 25, false, null, null, []), Ct));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ScopedLabels_AreMutuallyExclusiveOnAnIssue(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var issue = await NewIssue(db, "Scope me", ["stage::requested", "team::ps", "urgent"]);
        Assert.Equal(["stage::requested", "team::ps", "urgent"], issue.Labels.Select(l => l.Name).Order(StringComparer.Ordinal));

        var quoted = await Issues(db, s => s.UpdateAsync(Staff, issue.Id, new IssuePatch(AddLabels: ["stage::quoted"]), Ct));
        Assert.Equal(["stage::quoted", "team::ps", "urgent"], quoted.Labels.Select(l => l.Name).Order(StringComparer.Ordinal));

        // Two labels of one scope in one request: the later one wins.
        var both = await NewIssue(db, "Both", ["priority::high", "priority::low"]);
        Assert.Equal(["priority::low"], both.Labels.Select(l => l.Name));

        // Nested scopes follow GitLab: the scope is everything before the last "::".
        var nested = await Issues(db, s => s.UpdateAsync(Staff, both.Id, new IssuePatch(AddLabels: ["a::b::c", "a::b::d", "a::x"]), Ct));
        Assert.Equal(["a::b::d", "a::x", "priority::low"], nested.Labels.Select(l => l.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CustomerContacts_NeverSeeConfidentialIssuesInternalCommentsOrOtherCustomers(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var acme = await NewCustomer(db, "Acme");
        var other = await NewCustomer(db, "Globex");
        var open = await NewIssue(db, "Migration wave plan", customerId: acme.Id, description: "wave one");
        var secret = await NewIssue(db, "Renewal risk notes", customerId: acme.Id, confidential: true, description: "wave secret");
        var globex = await NewIssue(db, "Globex wave", customerId: other.Id);
        await Issues(db, s => s.AddCommentAsync(Staff, open.Id, new CommentInput("Public answer about the wave"), Ct));
        await Issues(db, s => s.AddCommentAsync(Staff, open.Id, new CommentInput("Internal: pricing zebra discussion", Internal: true), Ct));

        var contact = Contact(acme.Id);
        var list = await Issues(db, s => s.ListAsync(contact, new IssueQuery(), new PageRequest(1, 100), Ct));
        Assert.Equal([open.Id], list.Items.Select(i => i.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => Issues(db, s => s.GetAsync(contact, secret.Id, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Issues(db, s => s.GetAsync(contact, globex.Id, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Issues(db, s => s.CommentsAsync(contact, secret.Id, Ct)));

        var comments = await Issues(db, s => s.CommentsAsync(contact, open.Id, Ct));
        Assert.Equal(["Public answer about the wave"], comments.Select(c => c.Body));
        var activity = await Issues(db, s => s.ActivityAsync(contact, open.Id, Ct));
        Assert.DoesNotContain(activity, a => a.Text.Contains("internal", StringComparison.OrdinalIgnoreCase));

        // Search: a word only in an internal comment finds nothing for the contact, but finds the issue for the team.
        var contactSearch = await Issues(db, s => s.ListAsync(contact, new IssueQuery(Search: "zebra"), new PageRequest(), Ct));
        Assert.Empty(contactSearch.Items);
        var staffSearch = await Issues(db, s => s.ListAsync(Staff, new IssueQuery(Search: "zebra"), new PageRequest(), Ct));
        Assert.Equal([open.Id], staffSearch.Items.Select(i => i.Id));
        var wave = await Issues(db, s => s.ListAsync(contact, new IssueQuery(Search: "wave"), new PageRequest(), Ct));
        Assert.Equal([open.Id], wave.Items.Select(i => i.Id));

        await Assert.ThrowsAsync<ForbiddenException>(() =>
            Issues(db, s => s.AddCommentAsync(contact, open.Id, new CommentInput("sneaky", Internal: true), Ct)));
        var own = await Issues(db, s => s.AddCommentAsync(contact, open.Id, new CommentInput("Thanks!"), Ct));
        Assert.False(own.Internal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Search_CoversTitlesDescriptionsAndComments_WithFilters(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var a = await NewIssue(db, "Jenkins integration for Initech", ["team::integration"], type: "engagement-task");
        var b = await NewIssue(db, "Training plan", description: "Covers the pipelines of Jenkins users", type: "training");
        var c = await NewIssue(db, "Unrelated", type: "training");
        await Issues(db, s => s.AddCommentAsync(Staff, c.Id, new CommentInput("They also run jenkins nightly builds"), Ct));

        async Task<long[]> Find(IssueQuery q) =>
            (await Issues(db, s => s.ListAsync(Staff, q, new PageRequest(1, 50), Ct))).Items.Select(i => i.Id).Order().ToArray();

        Assert.Equal(new[] { a.Id, b.Id, c.Id }.Order().ToArray(), await Find(new IssueQuery(Search: "jenkins")));
        Assert.Equal(new[] { b.Id, c.Id }.Order().ToArray(), await Find(new IssueQuery(Search: "Jenkins", Type: "training")));
        Assert.Equal([a.Id], await Find(new IssueQuery(Search: "jenk integr")));
        Assert.Equal([a.Id], await Find(new IssueQuery(Search: "jenkins", Labels: ["team::integration"])));
        Assert.Empty(await Find(new IssueQuery(Search: "jenkins", Labels: ["no-such-label"])));
        // Punctuation and query syntax are only words to the search.
        Assert.Empty(await Find(new IssueQuery(Search: "\"jenkins\" OR NEAR( * ) : {Title} -- ; DROP")));

        await Issues(db, s => s.UpdateAsync(Staff, a.Id, new IssuePatch(Title: "Jira integration for Initech"), Ct));
        Assert.Equal(new[] { b.Id, c.Id }.Order().ToArray(), await Find(new IssueQuery(Search: "jenkins")));
        Assert.Equal([a.Id], await Find(new IssueQuery(Search: "jira")));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Markdown_IsRenderedAndSanitised(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var issue = await NewIssue(db, "XSS", description:
            "**bold** <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) <a href=\"https://ok.test\" onclick=\"x()\">ok</a>");
        Assert.Contains("<strong>bold</strong>", issue.DescriptionHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", issue.DescriptionHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", issue.DescriptionHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", issue.DescriptionHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", issue.DescriptionHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("href=\"https://ok.test\"", issue.DescriptionHtml, StringComparison.Ordinal);
        Assert.Contains("<script>", issue.Description, StringComparison.Ordinal);

        var comment = await Issues(db, s => s.AddCommentAsync(Staff, issue.Id, new CommentInput("<svg onload=alert(4)></svg><iframe src=https://evil.test></iframe> fine"), Ct));
        Assert.DoesNotContain("onload", comment.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", comment.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("fine", comment.BodyHtml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Comments_LinkMentionsOfTeamMembers(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var ada = await db.InScopeAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(Staff,
            new UserInput("ada.lovelace@proserv.test", "a long enough passphrase", "Ada Lovelace", ["ps-engineer"], null), Ct));
        var issue = await NewIssue(db, "Mentions");
        var comment = await Issues(db, s => s.AddCommentAsync(Staff, issue.Id, new CommentInput("@ada.lovelace please look; @nobody can't."), Ct));
        Assert.Equal([ada.Id], comment.Mentions.Select(m => m.Id));
        Assert.Contains("class=\"mention\"", comment.BodyHtml, StringComparison.Ordinal);
        Assert.Contains($"assignee={ada.Id}", comment.BodyHtml, StringComparison.Ordinal);
        await db.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<ProServDbContext>();
            Assert.True(await ctx.OutboxMessages.AnyAsync(m => m.Type == "issue.mentioned", Ct));
        });
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Moves_SwapColumnLabels_AndKeepTheOrderWithinAColumn(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var board = await Boards(db, s => s.CreateAsync(Staff, new BoardInput("Delivery", ["todo", "doing", "done::yes"], "type=migration"), Ct));
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await NewIssue(db, $"Card {i}", ["todo"], type: "migration")).Id);
        }
        var elsewhere = await NewIssue(db, "Not on this board", ["todo"], type: "training");

        var view = await Boards(db, s => s.ViewAsync(Staff, board.Id, null, 100, Ct));
        Assert.Equal(["open", "todo", "doing", "done::yes", "closed"], view.Columns.Select(c => c.Key));
        Assert.Equal(ids, view.Columns[1].Cards.Select(c => c.Id));

        // Within the column: card 4 to the top, card 0 to position 2.
        await Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(ids[4], "todo", 0), Ct));
        await Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(ids[0], "todo", 2), Ct));
        view = await Boards(db, s => s.ViewAsync(Staff, board.Id, null, 100, Ct));
        Assert.Equal([ids[4], ids[1], ids[0], ids[2], ids[3]], view.Columns[1].Cards.Select(c => c.Id));

        // Across columns: the labels swap.
        var moved = await Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(ids[2], "doing", 0), Ct));
        Assert.Equal(["doing"], moved.Issue.Labels.Select(l => l.Name));
        Assert.Equal(0, moved.Position);
        var closed = await Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(ids[3], "closed", null), Ct));
        Assert.Equal("closed", closed.Issue.State);
        var reopened = await Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(ids[3], "open", 0), Ct));
        Assert.Equal("open", reopened.Issue.State);
        Assert.Empty(reopened.Issue.Labels);

        // Many moves to the same spot exhaust the gap and force a rebalance; the order is still right.
        for (var i = 0; i < 20; i++)
        {
            await Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(i % 2 == 0 ? ids[1] : ids[0], "todo", 1), Ct));
        }
        view = await Boards(db, s => s.ViewAsync(Staff, board.Id, null, 100, Ct));
        Assert.Equal([ids[4], ids[0], ids[1]], view.Columns[1].Cards.Select(c => c.Id));

        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(ids[0], "nope", 0), Ct)));
        Assert.Contains("toColumn", bad.Errors.Keys);
        var off = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(elsewhere.Id, "todo", 0), Ct)));
        Assert.Contains("issueId", off.Errors.Keys);
        await Assert.ThrowsAsync<NotFoundException>(() =>
            Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(long.MaxValue, "todo", 0), Ct)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Boards_AreRenamedReorderedAndDeleted_IssuesAndLabelsStay(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var board = await Boards(db, s => s.CreateAsync(Staff, new BoardInput("Delivery", ["todo", "doing"], "type=migration"), Ct));
        var card = await NewIssue(db, "Card", ["doing"], type: "migration");

        var updated = await Boards(db, s => s.UpdateAsync(Staff, board.Id, new BoardInput("Delivery 2", ["doing", "todo", "review"], ""), Ct));
        Assert.Equal("Delivery 2", updated.Name);
        Assert.Null(updated.Filter);
        Assert.Equal(["doing", "todo", "review"], updated.Columns.Select(c => c.Name));
        Assert.Equal(board.Version + 1, updated.Version);
        var view = await Boards(db, s => s.ViewAsync(Staff, board.Id, null, 100, Ct));
        Assert.Equal(["open", "doing", "todo", "review", "closed"], view.Columns.Select(c => c.Key));
        Assert.Equal([card.Id], view.Columns[1].Cards.Select(c => c.Id));

        // The same columns again, in another order: no duplicate rows, no lost ones.
        updated = await Boards(db, s => s.UpdateAsync(Staff, board.Id, new BoardInput(null, ["review", "doing"], null), Ct));
        Assert.Equal(["review", "doing"], updated.Columns.Select(c => c.Name));
        Assert.Equal("Delivery 2", updated.Name);

        await Boards(db, async s => { await s.DeleteAsync(Staff, board.Id, Ct); return 0; });
        await Assert.ThrowsAsync<NotFoundException>(() => Boards(db, s => s.GetAsync(Staff, board.Id, Ct)));
        Assert.Equal(["doing"], (await Issues(db, s => s.GetAsync(Staff, card.Id, Ct))).Labels.Select(l => l.Name));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentMoves_NeverLoseAMove(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var board = await Boards(db, s => s.CreateAsync(Staff, new BoardInput("Race", ["left", "right"], "type=certification"), Ct));
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await NewIssue(db, $"Racer {i}", ["left"], type: "certification")).Id);
        }
        // Everyone moves a different card to the top of "right" at the same moment, each in its own scope (its own connection).
        using var start = new SemaphoreSlim(0);
        var tasks = ids.Select(id => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            return await Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(id, "right", 0), Ct));
        }, Ct)).ToList();
        start.Release(ids.Count);
        await Task.WhenAll(tasks);

        var view = await Boards(db, s => s.ViewAsync(Staff, board.Id, null, 100, Ct));
        Assert.Empty(view.Columns.Single(c => c.Key == "left").Cards);
        var right = view.Columns.Single(c => c.Key == "right").Cards.Select(c => c.Id).ToList();
        Assert.Equal(ids.Order(), right.Order());
        // Each move went to the top against the result of the ones before it: the last committed is first, and so on.
        var order = await db.InScopeAsync(async sp => await sp.GetRequiredService<ProServDbContext>().Issues
            .Where(i => ids.Contains(i.Id)).Select(i => i.Rank).Distinct().CountAsync(Ct));
        Assert.Equal(ids.Count, order);
        var moves = await db.InScopeAsync(async sp => await sp.GetRequiredService<ProServDbContext>().Boards
            .Where(b => b.Id == board.Id).Select(b => b.MoveCount).SingleAsync(Ct));
        Assert.Equal(ids.Count, moves);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EngagementAndBoard_StayInStep(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var customer = await NewCustomer(db, "Initech");
        var offering = await db.InScopeAsync(sp => sp.GetRequiredService<ProServDbContext>().Offerings
            .Where(o => o.Slug == "discovery-engagement").Select(o => o.Id).FirstAsync(Ct));
        var engagement = await db.InScopeAsync(sp => sp.GetRequiredService<EngagementService>().CreateAsync(Staff,
            new EngagementInput(customer.Id, [offering], "Initech migration"), Ct));
        var issue = await NewIssue(db, "SOW: Initech migration", ["stage::requested"], customer.Id, engagementId: engagement.Id, type: "sow-request");

        // Engagement → board.
        await db.InScopeAsync(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(Staff, engagement.Id, "scoping", "kick-off", Ct));
        var synced = await Issues(db, s => s.GetAsync(Staff, issue.Id, Ct));
        Assert.Equal(["stage::scoping"], synced.Labels.Select(l => l.Name));

        // Board → engagement.
        var board = (await Boards(db, s => s.ListAsync(Actor.System, Ct))).Single(b => b.Name == "SOW pipeline");
        var moved = await Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(issue.Id, "stage::quoted", 0), Ct));
        Assert.Equal(["stage::quoted"], moved.Issue.Labels.Select(l => l.Name));
        var e = await db.InScopeAsync(sp => sp.GetRequiredService<EngagementService>().GetAsync(Staff, engagement.Id, Ct));
        Assert.Equal("quoted", e.Stage);

        // A move the stage rules refuse: the refusal comes back and the card stays.
        var refused = await Assert.ThrowsAsync<ConflictException>(() =>
            Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(issue.Id, "stage::in-delivery", 0), Ct)));
        Assert.Equal(EngagementService.TransitionRule, refused.Rule);
        var after = await Issues(db, s => s.GetAsync(Staff, issue.Id, Ct));
        Assert.Equal(["stage::quoted"], after.Labels.Select(l => l.Name));
        e = await db.InScopeAsync(sp => sp.GetRequiredService<EngagementService>().GetAsync(Staff, engagement.Id, Ct));
        Assert.Equal("quoted", e.Stage);

        // Leaving the stage columns would lose the link between card and engagement.
        await Assert.ThrowsAsync<RuleViolationException>(() =>
            Boards(db, s => s.MoveAsync(Staff, board.Id, new MoveInput(issue.Id, "open", 0), Ct)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Templates_RequireTheirSections_AndSeedingIsIdempotent(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var template = await db.InScopeAsync(sp => sp.GetRequiredService<IssueTemplateService>().GetAsync(BoardSeeder.SowTemplate, Ct));
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Issues(db, s => s.CreateAsync(Staff, new IssueInput("SOW for Acme", null, null, null, null, null, null, null, null, null, "sow-request"), Ct)));
        Assert.Contains("Customer", refused.Errors["description"][0], StringComparison.Ordinal);
        Assert.Contains("Contacts", refused.Errors["description"][0], StringComparison.Ordinal);

        var filled = string.Join("\n\n", template.RequiredSections.Select(s => $"## {s}\nSomething about {s}."));
        var sow = await Issues(db, s => s.CreateAsync(Staff, new IssueInput("SOW for Acme", filled, null, null, null, null, null, null, null, null, "sow-request"), Ct));
        Assert.Equal("sow-request", sow.Type);
        Assert.Equal(["stage::requested"], sow.Labels.Select(l => l.Name));

        await db.InScopeAsync(sp => sp.GetRequiredService<Seeder>().SeedAsync(Ct));
        await db.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<ProServDbContext>();
            var initiatives = await ctx.Issues.Where(i => i.Type == "strategic-initiative").Select(i => i.Title).ToListAsync(Ct);
            Assert.Equal(4, initiatives.Count);
            Assert.Contains("Managed Trials", initiatives);
            Assert.Equal(2, await ctx.Boards.CountAsync(Ct));
            Assert.Equal(1, await ctx.IssueTemplates.CountAsync(Ct));
        });
    }

    [Fact]
    public void IssueQuery_RoundTripsThroughItsQueryString()
    {
        var q = new IssueQuery("wave plan", "migration", ["stage::scoping", "team x"], "none", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            "open", new DateOnly(2026, 12, 24));
        var s = q.ToQueryString();
        Assert.Equal("search=wave%20plan&type=migration&label=stage%3A%3Ascoping&label=team%20x&assignee=none&customerId=0f8fad5b-d9cb-469f-a165-70867728950e&state=open&dueBefore=2026-12-24", s);
        var back = IssueQuery.Parse("?" + s);
        Assert.Equal(s, back.ToQueryString());
        Assert.Equal(["stage::scoping", "team x"], back.Labels!);
    }

    [Fact]
    public void TemplateSections_PlaceholdersDoNotCountAsContent()
    {
        var t = new IssueTemplate { Slug = "t", Name = "T", RequiredSections = "Goals\nTimeline" };
        Assert.Equal(["Goals", "Timeline"], IssueTemplates.MissingSections(t, "## Goals\n<!-- say\nmore -->\n## Timeline\n"));
        Assert.Equal(["Timeline"], IssueTemplates.MissingSections(t, "## Goals\nShip it <!-- x -->\n### Timeline\n<!-- y -->"));
        Assert.Empty(IssueTemplates.MissingSections(t, "# goals:\nA\n## Timeline\nQ1"));
    }
}
