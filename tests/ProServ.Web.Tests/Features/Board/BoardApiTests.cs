using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Board;

/// The board's REST API, run against each database provider.
public abstract class BoardApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():n}"[..(prefix.Length + 9)];

    private async Task<JsonElement> CreateIssue(HttpClient client, object body) =>
        await (await client.PostAsJsonAsync("/api/v1/issues", body, Ct)).JsonAsync(HttpStatusCode.Created);

    private static long IssueId(JsonElement e) => e.GetProperty("id").GetInt64();

    private static string[] LabelNames(JsonElement issue) =>
        issue.GetProperty("labels").EnumerateArray().Select(l => l.Str("name")).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task OpenApi_DescribesTheBoardApi()
    {
        using var client = App.Anonymous();
        var paths = (await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/issues", "/api/v1/issues/{id}", "/api/v1/issues/{id}/comments", "/api/v1/labels",
                     "/api/v1/boards", "/api/v1/boards/{id}/moves", "/api/v1/views", "/api/v1/issue-templates" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}");
        }
    }

    [Fact]
    public async Task Issues_CreateGetPatch_CarryMarkdownAndItsSanitisedHtml_AndScopedLabelsAreExclusive()
    {
        var admin = await App.AdminAsync();
        var created = await CreateIssue(admin, new
        {
            title = "Discovery for Umbrella",
            description = "## Goals\n**HA** <script>alert('x')</script><img src=x onerror=alert(1)>",
            type = "engagement-task",
            labels = new[] { "stage::requested", "team::discovery" },
            dueDate = "2026-12-15",
            weight = 3,
        });
        Assert.Contains("<script>", created.Str("description"), StringComparison.Ordinal);
        var html = created.Str("descriptionHtml");
        Assert.Contains("<strong>HA</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("2026-12-15", created.Str("dueDate"));

        var id = IssueId(created);
        var patched = await (await admin.PatchAsJsonAsync($"/api/v1/issues/{id}", new { addLabels = new[] { "stage::quoted" }, version = created.GetProperty("version").GetInt32() }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["stage::quoted", "team::discovery"], LabelNames(patched));

        // A stale version is a conflict.
        await (await admin.PatchAsJsonAsync($"/api/v1/issues/{id}", new { title = "x", version = 0 })).ProblemAsync(HttpStatusCode.Conflict);

        var fetched = await (await admin.GetAsync($"/api/v1/issues/{id}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(html, fetched.Str("descriptionHtml"));
        var activity = await (await admin.GetAsync($"/api/v1/issues/{id}/activity", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.True(activity.GetArrayLength() >= 2);
    }

    [Fact]
    public async Task Issues_ValidationListsEveryBadField()
    {
        var admin = await App.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/issues", new { title = "", type = "wizardry", weight = -1, customerId = Guid.NewGuid(), assigneeIds = new[] { Guid.NewGuid() } }, Ct);
        var errors = (await response.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        foreach (var field in new[] { "title", "type", "weight", "customerId", "assigneeIds" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        var sow = await admin.PostAsJsonAsync("/api/v1/issues", new { title = "SOW", template = "sow-request" }, Ct);
        var detail = (await sow.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").GetProperty("description")[0].GetString();
        Assert.Contains("Goals", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerContacts_SeeOnlyTheirNonConfidentialIssues_AndNoInternalComments()
    {
        var admin = await App.AdminAsync();
        var customer = await App.CustomerAsync();
        var otherCustomer = await App.CustomerAsync();
        var word = "kumquat" + Guid.NewGuid().ToString("n")[..6];
        var shared = IssueId(await CreateIssue(admin, new { title = $"Wave plan {word}", customerId = customer }));
        var secret = IssueId(await CreateIssue(admin, new { title = $"Churn risk {word}", customerId = customer, confidential = true }));
        var foreign = IssueId(await CreateIssue(admin, new { title = $"Other {word}", customerId = otherCustomer }));
        await (await admin.PostAsJsonAsync($"/api/v1/issues/{shared}/comments", new { body = "Visible reply" }, Ct)).JsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync($"/api/v1/issues/{shared}/comments", new { body = "Internal: discount talk", @internal = true }, Ct)).JsonAsync(HttpStatusCode.Created);

        var (_, _, contact) = await App.UserAsync(["customer-contact"], customer);
        var list = await (await contact.GetAsync($"/api/v1/issues?search={word}&perPage=50", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([shared], list.GetProperty("items").EnumerateArray().Select(IssueId));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        await (await contact.GetAsync($"/api/v1/issues/{secret}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await contact.GetAsync($"/api/v1/issues/{foreign}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await contact.GetAsync($"/api/v1/issues/{secret}/comments", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        var comments = await (await contact.GetAsync($"/api/v1/issues/{shared}/comments", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Visible reply"], comments.EnumerateArray().Select(c => c.Str("body")));
        var none = await (await contact.GetAsync("/api/v1/issues?search=discount&perPage=50", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(shared, none.GetProperty("items").EnumerateArray().Select(IssueId));

        // Boards are the team's: a contact lists none and opens none (its issues reach it through the portal).
        var boards = await (await admin.GetAsync("/api/v1/boards", Ct)).JsonAsync(HttpStatusCode.OK);
        var ps = boards.EnumerateArray().Single(b => b.Str("name") == "Professional Services").Id();
        Assert.Equal(0, (await (await contact.GetAsync("/api/v1/boards", Ct)).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
        await (await contact.GetAsync($"/api/v1/boards/{ps}?search={word}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await (await contact.GetAsync("/api/v1/labels", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());

        // Contacts comment publicly but change nothing else.
        await (await contact.PostAsJsonAsync($"/api/v1/issues/{shared}/comments", new { body = "Thanks" }, Ct)).JsonAsync(HttpStatusCode.Created);
        await (await contact.PostAsJsonAsync($"/api/v1/issues/{shared}/comments", new { body = "psst", @internal = true }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await contact.PostAsJsonAsync("/api/v1/issues", new { title = "mine" }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await contact.PatchAsJsonAsync($"/api/v1/issues/{shared}", new { title = "mine" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await contact.PostAsJsonAsync($"/api/v1/boards/{ps}/moves", new { issueId = shared, toColumn = "closed" }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Search_FiltersCombine_AndLabelsRepeat()
    {
        var admin = await App.AdminAsync();
        var word = "quince" + Guid.NewGuid().ToString("n")[..6];
        var a = IssueId(await CreateIssue(admin, new { title = $"{word} alpha", type = "training", labels = new[] { "x-one", "x-two" }, dueDate = "2026-01-10" }));
        var b = IssueId(await CreateIssue(admin, new { title = "beta", description = $"mentions {word}", type = "training", labels = new[] { "x-one" } }));
        var c = IssueId(await CreateIssue(admin, new { title = "gamma", type = "migration" }));
        await (await admin.PostAsJsonAsync($"/api/v1/issues/{c}/comments", new { body = $"comment with {word}" }, Ct)).JsonAsync(HttpStatusCode.Created);

        async Task<long[]> Find(string query) => (await (await admin.GetAsync($"/api/v1/issues?perPage=100&{query}", Ct)).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Select(IssueId).Order().ToArray();

        Assert.Equal(new[] { a, b, c }.Order(), await Find($"search={word}"));
        Assert.Equal(new[] { a, b }.Order(), await Find($"search={word}&type=training"));
        Assert.Equal([a], await Find($"search={word}&label=x-one&label=x-two"));
        Assert.Equal([a], await Find($"search={word}&dueBefore=2026-02-01"));
        Assert.Empty(await Find($"search={word}&state=closed"));

        var view = await (await admin.PostAsJsonAsync("/api/v1/views", new { name = "Training " + word, query = $"type=training&search={word}", shared = true }, Ct))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"search={word}&type=training", view.Str("query"));
        var (_, _, engineer) = await App.UserAsync(["ps-engineer"]);
        var views = await (await engineer.GetAsync("/api/v1/views", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(views.EnumerateArray(), v => v.Str("name") == "Training " + word && !v.GetProperty("mine").GetBoolean());
    }

    [Fact]
    public async Task ConcurrentMoves_OverHttp_NeverLoseAMove()
    {
        var admin = await App.AdminAsync();
        var type = "support-assist";
        var left = Unique("left");
        var right = Unique("right");
        var marker = Unique("m");
        var board = await (await admin.PostAsJsonAsync("/api/v1/boards", new { name = Unique("Race"), columns = new[] { left, right }, filter = $"type={type}&label={marker}" }, Ct))
            .JsonAsync(HttpStatusCode.Created);
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(IssueId(await CreateIssue(admin, new { title = $"card {i}", type, labels = new[] { left, marker } })));
        }
        // Two people (two tokens) move five cards each, all at once, each card to the top of the other column.
        var (_, _, other) = await App.UserAsync(["ps-manager"]);
        var responses = await Task.WhenAll(ids.Select((id, i) =>
            (i % 2 == 0 ? admin : other).PostAsJsonAsync($"/api/v1/boards/{board.Id()}/moves", new { issueId = id, toColumn = right, position = 0 }, Ct)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var view = await (await admin.GetAsync($"/api/v1/boards/{board.Id()}", Ct)).JsonAsync(HttpStatusCode.OK);
        var columns = view.GetProperty("columns").EnumerateArray().ToDictionary(c => c.Str("key"), c => c.GetProperty("cards").EnumerateArray().Select(IssueId).ToList());
        Assert.Empty(columns[left]);
        Assert.Equal(ids.Order(), columns[right].Order());

        // Then a second round within the column: every card to position 3; the column still holds each card exactly once.
        responses = await Task.WhenAll(ids.Select((id, i) =>
            (i % 2 == 0 ? admin : other).PostAsJsonAsync($"/api/v1/boards/{board.Id()}/moves", new { issueId = id, toColumn = right, position = 3 }, Ct)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        view = await (await admin.GetAsync($"/api/v1/boards/{board.Id()}", Ct)).JsonAsync(HttpStatusCode.OK);
        var after = view.GetProperty("columns").EnumerateArray().Single(c => c.Str("key") == right).GetProperty("cards").EnumerateArray().Select(IssueId).ToList();
        Assert.Equal(ids.Order(), after.Order());
    }

    [Fact]
    public async Task MoveToAStageColumn_TransitionsTheEngagement_AndARefusalKeepsTheCard()
    {
        var admin = await App.AdminAsync();
        var customer = await App.CustomerAsync();
        var offering = (await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK))[0].Id();
        var engagement = (await (await admin.PostAsJsonAsync("/api/v1/engagements",
            new { customerId = customer, offeringIds = new[] { offering }, title = "Board sync" }, Ct)).JsonAsync(HttpStatusCode.Created)).Id();
        var issue = IssueId(await CreateIssue(admin, new { title = "SOW: board sync", type = "sow-request", labels = new[] { "stage::requested" }, customerId = customer, engagementId = engagement }));
        var boards = await (await admin.GetAsync("/api/v1/boards", Ct)).JsonAsync(HttpStatusCode.OK);
        var pipeline = boards.EnumerateArray().Single(b => b.Str("name") == "SOW pipeline").Id();

        var moved = await (await admin.PostAsJsonAsync($"/api/v1/boards/{pipeline}/moves", new { issueId = issue, toColumn = "stage::scoping", position = 0 }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["stage::scoping"], LabelNames(moved.GetProperty("issue")));
        var e = await (await admin.GetAsync($"/api/v1/engagements/{engagement}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("scoping", e.Str("stage"));

        var refused = await (await admin.PostAsJsonAsync($"/api/v1/boards/{pipeline}/moves", new { issueId = issue, toColumn = "stage::signed", position = 0 }, Ct))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("engagement-stage-transition", refused.Str("rule"));
        var still = await (await admin.GetAsync($"/api/v1/issues/{issue}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["stage::scoping"], LabelNames(still));

        // And the other way round: the engagement moves, the card follows.
        await (await admin.PostAsJsonAsync($"/api/v1/engagements/{engagement}/transitions", new { to = "quoted" }, Ct)).JsonAsync(HttpStatusCode.OK);
        var followed = await (await admin.GetAsync($"/api/v1/issues/{issue}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["stage::quoted"], LabelNames(followed));
    }

    [Fact]
    public async Task Labels_AreCreatedListedAndValidated()
    {
        var admin = await App.AdminAsync();
        var name = Unique("scope") + "::value";
        var label = await (await admin.PostAsJsonAsync("/api/v1/labels", new { name, color = "#112233", description = "d" }, Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(name[..name.IndexOf("::", StringComparison.Ordinal)], label.Str("scope"));
        await (await admin.PostAsJsonAsync("/api/v1/labels", new { name = name.ToUpperInvariant(), color = "#112233" }, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.PostAsJsonAsync("/api/v1/labels", new { name = "ok", color = "red" }, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var list = await (await admin.GetAsync($"/api/v1/labels?search={Uri.EscapeDataString(name)}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Labels_AreDeletedFromTheirIssues_ButNotABoardsColumnOrAStage()
    {
        var admin = await App.AdminAsync();
        var gone = Unique("typo");
        var column = Unique("column");
        var issue = IssueId(await CreateIssue(admin, new { title = Unique("Labelled"), labels = new[] { gone, column } }));
        var label = (await (await admin.GetAsync($"/api/v1/labels?search={gone}", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("items")[0].Id();
        var columnLabel = (await (await admin.GetAsync($"/api/v1/labels?search={column}", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("items")[0].Id();
        var board = await (await admin.PostAsJsonAsync("/api/v1/boards", new { name = Unique("Cols"), columns = new[] { column } }, Ct)).JsonAsync(HttpStatusCode.Created);

        var (_, _, contact) = await App.UserAsync(["customer-contact"], await App.CustomerAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await contact.DeleteAsync($"/api/v1/labels/{label}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/labels/{label}", Ct)).StatusCode);
        Assert.Equal([column], LabelNames(await (await admin.GetAsync($"/api/v1/issues/{issue}", Ct)).JsonAsync(HttpStatusCode.OK)));
        Assert.Equal(0, (await (await admin.GetAsync($"/api/v1/labels?search={gone}", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/labels/{label}", Ct)).StatusCode);

        var refused = await (await admin.DeleteAsync($"/api/v1/labels/{columnLabel}", Ct)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("label-is-a-board-column", refused.Str("rule"));
        Assert.Contains(board.Str("name"), refused.Str("detail"), StringComparison.Ordinal);
        var stage = (await (await admin.GetAsync("/api/v1/labels?search=stage::requested", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("items")[0].Id();
        Assert.Equal("stage-labels-follow-engagements",
            (await (await admin.DeleteAsync($"/api/v1/labels/{stage}", Ct)).ProblemAsync(HttpStatusCode.Conflict)).Str("rule"));
    }
}

public sealed class SqliteBoardApiTests(SqliteApp app) : BoardApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresBoardApiTests(PostgresApp app) : BoardApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;
