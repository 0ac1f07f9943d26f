using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProServ.Core.Common;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Features.Board;

/// The PS board in the real browser: sanitised Markdown stays inert, customer contacts never see confidential things,
/// and cards move with the keyboard.
public sealed class BoardTests(ProServAppFixture app)
{
    private const string ContactPassword = "contact passphrase 123";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<T> Use<T>(Func<IServiceProvider, Task<T>> body)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await body(scope.ServiceProvider);
    }

    /// Drag and drop and keyboard moves need htmx and SortableJS, which the build restores from npm when npm exists.
    private void RequireFrontEnd()
    {
        var files = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.IWebHostEnvironment>().WebRootFileProvider;
        if (!files.GetFileInfo("lib/htmx.min.js").Exists || !files.GetFileInfo("lib/Sortable.min.js").Exists)
        {
            Assert.Skip("wwwroot/lib has no htmx/SortableJS: the build found no npm to restore them (the board then moves cards through each card's Move page).");
        }
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("account/sign-in");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("sign-in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task XssInDescriptionAndComment_RendersInert()
    {
        const string payload = "Plan **bold** <script>window.__xss = 'script'</script> <img src=x onerror=\"window.__xss = 'img'\"> " +
            "[click me](javascript:window.__xss='link') <a href=\"#\" onclick=\"window.__xss='click'\">anchor</a> " +
            "<svg onload=\"window.__xss='svg'\"></svg> <iframe src=\"javascript:parent.__xss='frame'\"></iframe>";
        var issue = await Use(sp => sp.GetRequiredService<IssueService>().CreateAsync(Actor.System,
            new IssueInput("XSS probe " + Guid.NewGuid().ToString("n")[..6], payload, "other", null, null, null, null, null, null, false), Ct));
        await Use(sp => sp.GetRequiredService<IssueService>().AddCommentAsync(Actor.System, issue.Id, new CommentInput(payload), Ct));

        var page = await app.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await SignInAsync(page, ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        await page.GotoAsync($"board/issues/{issue.Id}");
        await Assertions.Expect(page.Locator("#description-html strong")).ToHaveTextAsync("bold");

        // Click everything that could run script.
        foreach (var link in await page.Locator(".markdown a").AllAsync())
        {
            await link.ClickAsync();
        }
        await page.WaitForTimeoutAsync(300);
        if (!page.Url.Contains($"board/issues/{issue.Id}", StringComparison.Ordinal))
        {
            await page.GotoAsync($"board/issues/{issue.Id}");
        }
        Assert.Equal("none", await page.EvaluateAsync<string>("() => String(window.__xss ?? 'none')"));
        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.Locator(".markdown script, .markdown iframe, .markdown [onerror], .markdown [onclick], .markdown [onload]").CountAsync());
        Assert.Equal(0, await page.Locator(".markdown a[href^='javascript']").CountAsync());
    }

    [Fact]
    public async Task CustomerContact_NeverSeesConfidentialIssuesOrInternalComments()
    {
        var tag = Guid.NewGuid().ToString("n")[..6];
        var customer = await Use(sp => sp.GetRequiredService<CustomerService>().CreateAsync(Actor.System,
            new CustomerInput("Portal " + tag, "premium", 10, 5, false, null, null, []), Ct));
        var email = $"contact-{tag}@portal.test";
        await Use(sp => sp.GetRequiredService<UserService>().CreateAsync(Actor.System,
            new UserInput(email, ContactPassword, "Pat Portal", [Role.CustomerContact], customer.Id), Ct));
        var issues = (Func<IssueInput, Task<IssueDto>>)(input => Use(sp => sp.GetRequiredService<IssueService>().CreateAsync(Actor.System, input, Ct)));
        var shared = await issues(new IssueInput($"Shared plan {tag}", "For the customer", "migration", null, null, null, null, customer.Id, null, false));
        var secret = await issues(new IssueInput($"Secret risk {tag}", "Renewal risk", "other", null, null, null, null, customer.Id, null, true));
        await Use(sp => sp.GetRequiredService<IssueService>().AddCommentAsync(Actor.System, shared.Id, new CommentInput($"Public note {tag}"), Ct));
        await Use(sp => sp.GetRequiredService<IssueService>().AddCommentAsync(Actor.System, shared.Id, new CommentInput($"Internal margin talk {tag}", Internal: true), Ct));

        var page = await app.NewPageAsync();
        await SignInAsync(page, email, ContactPassword);
        await page.GotoAsync($"board/issues?search={tag}");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"#{shared.Id} Shared plan {tag}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText($"Secret risk {tag}")).ToHaveCountAsync(0);

        await page.GotoAsync($"board/issues/{shared.Id}");
        await Assertions.Expect(page.GetByText($"Public note {tag}")).ToBeVisibleAsync();
        Assert.DoesNotContain($"Internal margin talk {tag}", await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("input[name='Comment.Internal']")).ToHaveCountAsync(0);

        var response = await page.GotoAsync($"board/issues/{secret.Id}");
        Assert.Equal(404, response!.Status);
        Assert.DoesNotContain("Secret risk", await page.ContentAsync(), StringComparison.Ordinal);

        // Boards are the team's: the contact is sent to the access-denied page, and sees no card there.
        var boards = await Use(sp => sp.GetRequiredService<BoardService>().ListAsync(Actor.System, Ct));
        await page.GotoAsync($"board/{boards.Single(b => b.Name == "Professional Services").Id}?search={tag}");
        Assert.Contains("/account/denied", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("li.board-card")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Cards_MoveWithTheKeyboard_AndWithTheMovePage()
    {
        RequireFrontEnd();
        var tag = Guid.NewGuid().ToString("n")[..6];
        var board = await Use(sp => sp.GetRequiredService<BoardService>().CreateAsync(Actor.System,
            new BoardInput($"Keys {tag}", [$"k{tag}::todo", $"k{tag}::doing"], $"label=keys-{tag}"), Ct));
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Use(sp => sp.GetRequiredService<IssueService>().CreateAsync(Actor.System,
                new IssueInput($"Key card {i} {tag}", "", "other", [$"keys-{tag}", $"k{tag}::todo"], null, null, null, null, null, false), Ct))).Id);
        }

        var page = await app.NewPageAsync();
        await SignInAsync(page, ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        await page.GotoAsync($"board/{board.Id}");
        var todo = page.Locator($"ol.cards[data-column='k{tag}::todo'] li.board-card");
        var doing = page.Locator($"ol.cards[data-column='k{tag}::doing'] li.board-card");
        await Assertions.Expect(todo).ToHaveCountAsync(3);

        // Alt+→ on a focused card moves it to the next column (drag and drop posts the same move).
        await page.Locator($"li.board-card[data-id='{ids[1]}']").FocusAsync();
        await page.Keyboard.PressAsync("Alt+ArrowRight");
        await Assertions.Expect(doing).ToHaveCountAsync(1);
        await Assertions.Expect(doing.First).ToHaveAttributeAsync("data-id", ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator($"li.board-card[data-id='{ids[1]}']")).ToBeFocusedAsync();

        // Alt+↓ reorders within the column.
        await page.Locator($"li.board-card[data-id='{ids[0]}']").FocusAsync();
        await page.Keyboard.PressAsync("Alt+ArrowDown");
        await Assertions.Expect(todo.Nth(1)).ToHaveAttributeAsync("data-id", ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Without drag and drop: the card's Move page.
        await page.GotoAsync($"board/{board.Id}/cards/{ids[2]}/move");
        await page.GetByLabel("Column", new() { Exact = true }).SelectOptionAsync("closed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Move card" }).ClickAsync();
        await Assertions.Expect(page.Locator("ol.cards[data-column='closed'] li.board-card")).ToHaveCountAsync(1);
        var issue = await Use(sp => sp.GetRequiredService<IssueService>().GetAsync(Actor.System, ids[1], Ct));
        Assert.Contains(issue.Labels, l => l.Name == $"k{tag}::doing");
    }

    [Fact]
    public async Task StageColumns_MoveTheEngagement_AndARefusalIsShownWhileTheCardStays()
    {
        RequireFrontEnd();
        var tag = Guid.NewGuid().ToString("n")[..6];
        var customer = await Use(sp => sp.GetRequiredService<CustomerService>().CreateAsync(Actor.System,
            new CustomerInput("Stages " + tag, "premium", 10, 5, false, null, null, []), Ct));
        var offering = (await Use(sp => sp.GetRequiredService<ProServ.Core.Features.Catalog.CatalogService>().ListAsync(false, Ct)))[0].Id;
        var engagements = (Func<IServiceProvider, ProServ.Core.Features.Engagements.EngagementService>)(sp =>
            sp.GetRequiredService<ProServ.Core.Features.Engagements.EngagementService>());
        var engagement = await Use(sp => engagements(sp).CreateAsync(Actor.System,
            new ProServ.Core.Features.Engagements.EngagementInput(customer.Id, [offering], "Stages " + tag), Ct));
        var issue = await Use(sp => sp.GetRequiredService<IssueService>().CreateAsync(Actor.System,
            new IssueInput($"SOW stages {tag}", "", "sow-request", ["stage::requested"], null, null, null, customer.Id, engagement.Id, false), Ct));
        var board = (await Use(sp => sp.GetRequiredService<BoardService>().ListAsync(Actor.System, Ct))).Single(b => b.Name == "SOW pipeline");

        var page = await app.NewPageAsync();
        await SignInAsync(page, ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        await page.GotoAsync($"board/{board.Id}?search={tag}");
        var card = page.Locator($"li.board-card[data-id='{issue.Id}']");
        await card.FocusAsync();
        await page.Keyboard.PressAsync("Alt+ArrowRight");
        await Assertions.Expect(page.Locator($"ol.cards[data-column='stage::scoping'] li.board-card[data-id='{issue.Id}']")).ToBeVisibleAsync();
        Assert.Equal("scoping", (await Use(sp => engagements(sp).GetAsync(Actor.System, engagement.Id, Ct))).Stage);

        // scoping → requested is not a move the stage machine allows: the refusal is shown and the card stays.
        await card.FocusAsync();
        await page.Keyboard.PressAsync("Alt+ArrowLeft");
        await Assertions.Expect(page.Locator("#refusal")).ToContainTextAsync("cannot move from scoping to requested");
        await Assertions.Expect(page.Locator($"ol.cards[data-column='stage::scoping'] li.board-card[data-id='{issue.Id}']")).ToBeVisibleAsync();
        Assert.Equal("scoping", (await Use(sp => engagements(sp).GetAsync(Actor.System, engagement.Id, Ct))).Stage);
    }

    [Fact]
    public async Task NewIssueFromTheSowTemplate_NeedsItsSections_ThenCarriesTheTemplatesLabels()
    {
        var tag = Guid.NewGuid().ToString("n")[..6];
        var page = await app.NewPageAsync();
        await SignInAsync(page, ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        await page.GotoAsync("board/issues/new?template=sow-request");
        await page.GetByLabel("Title").FillAsync($"SOW for Hooli {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create issue" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("Goals");

        var filled = string.Join("\n\n", new[] { "Customer", "Tier", "Offerings", "Goals", "Environment", "Timeline", "Contacts" }
            .Select(s => $"## {s}\n{s} of Hooli {tag}"));
        await page.GetByLabel("Description").FillAsync(filled);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create issue" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync($"SOW for Hooli {tag}");
        await Assertions.Expect(page.Locator("#description-html h2").First).ToHaveTextAsync("Customer");
        await Assertions.Expect(page.Locator(".chip-scoped").Filter(new() { HasText = "requested" })).ToBeVisibleAsync();

        await page.GotoAsync("board/labels?search=stage");
        await Assertions.Expect(page.Locator(".chip-scoped").Filter(new() { HasText = "sow-review" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Cards_MoveByDragAndDrop()
    {
        RequireFrontEnd();
        var tag = Guid.NewGuid().ToString("n")[..6];
        var board = await Use(sp => sp.GetRequiredService<BoardService>().CreateAsync(Actor.System,
            new BoardInput($"Drag {tag}", [$"d{tag}::from", $"d{tag}::to"], $"label=drag-{tag}"), Ct));
        var id = (await Use(sp => sp.GetRequiredService<IssueService>().CreateAsync(Actor.System,
            new IssueInput($"Drag me {tag}", "", "other", [$"drag-{tag}", $"d{tag}::from"], null, null, null, null, null, false), Ct))).Id;

        var page = await app.NewPageAsync();
        await SignInAsync(page, ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        await page.GotoAsync($"board/{board.Id}");
        var card = page.Locator($"li.board-card[data-id='{id}'] .card-meta");
        var target = page.Locator($"ol.cards[data-column='d{tag}::to']");
        // SortableJS follows the pointer: press, move in steps over the target list, release.
        var from = await card.BoundingBoxAsync();
        var to = await target.BoundingBoxAsync();
        await page.Mouse.MoveAsync(from!.X + 5, from.Y + 5);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(from.X + 20, from.Y + 20, new() { Steps = 5 });
        await page.Mouse.MoveAsync(to!.X + to.Width / 2, to.Y + 20, new() { Steps = 15 });
        await page.Mouse.UpAsync();

        await Assertions.Expect(page.Locator($"ol.cards[data-column='d{tag}::to'] li.board-card[data-id='{id}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#board-status")).ToContainTextAsync($"Moved #{id}");
        var issue = await Use(sp => sp.GetRequiredService<IssueService>().GetAsync(Actor.System, id, Ct));
        Assert.Contains(issue.Labels, l => l.Name == $"d{tag}::to");
        Assert.DoesNotContain(issue.Labels, l => l.Name == $"d{tag}::from");
    }

    [Fact]
    public async Task BoardsAndLabels_AreRenamedAndBoardsDeleted_FromTheirPages()
    {
        var tag = Guid.NewGuid().ToString("n")[..6];
        var name = $"Renamable {tag}";
        var board = await Use(sp => sp.GetRequiredService<BoardService>().CreateAsync(Actor.System, new BoardInput(name, ["workflow::planned"], null), Ct));
        var label = await Use(sp => sp.GetRequiredService<LabelService>().CreateAsync(Actor.System, new LabelInput($"e2e-{tag}", "#123456", null), Ct));
        var page = await app.NewPageAsync();
        await SignInAsync(page, ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);

        // Rename from the board list's Settings link.
        await page.GotoAsync("board");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Settings of board {name}" }).ClickAsync();
        await Assertions.Expect(page.Locator("#Input_Columns")).ToHaveValueAsync("workflow::planned");
        await page.Locator("#Input_Name").FillAsync($"{name} v2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save board" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"{name} v2");

        // Deleting asks for the tick first, then removes the board only.
        await page.GetByRole(AriaRole.Link, new() { Name = "Board settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete board" }).ClickAsync();
        await Assertions.Expect(page.Locator("#Confirm-error")).ToContainTextAsync("Tick the box to confirm");
        await page.GetByLabel($"Yes, delete the board").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete board" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/board", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"{name} v2" })).ToHaveCountAsync(0);
        await Assert.ThrowsAsync<NotFoundException>(() => Use(sp => sp.GetRequiredService<BoardService>().GetAsync(Actor.System, board.Id, Ct)));

        // A label is renamed (becoming scoped) and described from its page.
        await page.GotoAsync($"board/labels?search=e2e-{tag}");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit label e2e-{tag}" }).ClickAsync();
        await page.Locator("#Input_Name").FillAsync($"e2e::{tag}");
        await page.Locator("#Input_Description").FillAsync("Edited in the browser");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save label" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/board/labels?search=", StringComparison.Ordinal));
        var edited = await Use(sp => sp.GetRequiredService<LabelService>().GetAsync(Actor.System, label.Id, Ct));
        Assert.Equal($"e2e::{tag}", edited.Name);
        Assert.Equal("e2e", edited.Scope);
        Assert.Equal("Edited in the browser", edited.Description);

        // A saved view is deleted from the board's home page by its owner.
        await page.GotoAsync($"board/issues?state=open&label={Uri.EscapeDataString(edited.Name)}");
        await page.Locator("#ViewName").FillAsync($"View {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save view" }).ClickAsync();
        await page.GotoAsync("board");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete saved view View {tag}" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/board", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"View {tag}" })).ToHaveCountAsync(0);

        // The label is deleted from its page, after the confirming tick.
        await page.GotoAsync($"board/labels/{label.Id}");
        await page.GetByLabel("Yes, delete the label").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete label" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/board/labels", StringComparison.Ordinal));
        await Assert.ThrowsAsync<NotFoundException>(() => Use(sp => sp.GetRequiredService<LabelService>().GetAsync(Actor.System, label.Id, Ct)));
    }

    [Fact]
    public async Task IssueTemplates_AreCreatedAndEditedFromTheirPages_AndNewIssuesFollowThem()
    {
        var tag = Guid.NewGuid().ToString("n")[..6];
        var page = await app.NewPageAsync();
        await SignInAsync(page, ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        await page.GotoAsync("board");
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New template" }).ClickAsync();

        // A bad slug is refused with its field named, the rest kept.
        await page.Locator("#Input_Slug").FillAsync("Not A Slug");
        await page.Locator("#Input_Name").FillAsync($"Retro {tag}");
        await page.Locator("#Input_Body").FillAsync("## Went well\n\n## To improve\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("slug");
        await Assertions.Expect(page.Locator("#Input_Name")).ToHaveValueAsync($"Retro {tag}");

        await page.Locator("#Input_Slug").FillAsync($"retro-{tag}");
        await page.Locator("#Input_RequiredSections").FillAsync("Went well\nTo improve");
        await page.Locator("#Input_Labels").FillAsync($"retro::{tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/board/templates", StringComparison.Ordinal));

        // Edited again: the name changes, the slug stays.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit template Retro {tag}" }).ClickAsync();
        await page.Locator("#Input_Name").FillAsync($"Retrospective {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        var saved = await Use(sp => sp.GetRequiredService<IssueTemplateService>().GetAsync($"retro-{tag}", Ct));
        Assert.Equal($"Retrospective {tag}", saved.Name);
        Assert.Equal(["Went well", "To improve"], saved.RequiredSections);
        Assert.Equal([$"retro::{tag}"], saved.Labels);

        // A new issue from it must fill its sections.
        await page.GotoAsync($"board/issues/new?template=retro-{tag}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync($"Retrospective {tag}");
        await page.GetByLabel("Title").FillAsync($"Retro of sprint {tag}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create issue" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("Went well");
    }
}
