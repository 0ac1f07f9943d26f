using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Board;

/// The board page loads its columns lazily: the first cards of each column, then further pages of one column keyed on the
/// last card shown; and pages and API answers are compressed. Run against each database provider.
public abstract partial class BoardColumnPagingTests<TApp>(TApp app) where TApp : AppFactory
{
    private const int PageSize = 20;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<li class=\"board-card\" data-id=\"(\\d+)\"")]
    private static partial Regex CardId();

    [GeneratedRegex("data-after=\"(\\d*)\"")]
    private static partial Regex After();

    private async Task<HttpClient> SignInAsync()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var form = await client.GetStringAsync("/account/sign-in", Ct);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value);
        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = AppFactory.AdminEmail,
            ["Input.Password"] = AppFactory.AdminPassword,
            ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// A board whose first label column holds <paramref name="cards"/> issues, in creation order.
    private async Task<(Guid Board, string Column, string Other, List<long> Ids)> BoardAsync(int cards)
    {
        var admin = await app.AdminAsync();
        var tag = Guid.NewGuid().ToString("n")[..8];
        var (column, other) = ($"lz{tag}::todo", $"lz{tag}::doing");
        var board = await (await admin.PostAsJsonAsync("/api/v1/boards", new { name = $"Lazy {tag}", columns = new[] { column, other }, filter = $"label=lazy-{tag}" }, Ct))
            .JsonAsync(HttpStatusCode.Created);
        var ids = new List<long>();
        for (var i = 0; i < cards; i++)
        {
            var issue = await (await admin.PostAsJsonAsync("/api/v1/issues", new { title = $"Lazy card {i}", type = "other", labels = new[] { $"lazy-{tag}", column } }, Ct))
                .JsonAsync(HttpStatusCode.Created);
            ids.Add(issue.GetProperty("id").GetInt64());
        }
        return (board.Id(), column, other, ids);
    }

    private static string ColumnHtml(string html, string key)
    {
        var start = html.IndexOf($"<ol class=\"cards\" data-column=\"{key}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no column {key} on the page");
        return html[start..html.IndexOf("</ol>", start, StringComparison.Ordinal)];
    }

    private static List<long> Ids(string html) =>
        CardId().Matches(html).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    private static string Q(string s) => Uri.EscapeDataString(s);

    [Fact]
    public async Task BoardPage_ShowsTheFirstCardsOfAColumn_AndFurtherPagesContinueAfterTheLastCardShown()
    {
        var (board, column, _, ids) = await BoardAsync(45);
        using var client = await SignInAsync();

        var html = await client.GetStringAsync($"/board/{board}", Ct);
        Assert.Equal(ids.Take(PageSize), Ids(ColumnHtml(html, column)));
        Assert.Contains("Showing 20 of 45", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"45 cards\"", html, StringComparison.Ordinal);
        // Without script, "Load more" is a link to the board with more cards per column.
        Assert.Contains($"href=\"/board/{board}?show=40#col-1\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-src=\"/board/{board}?handler=Column&amp;column={Q(column)}\"", html, StringComparison.Ordinal);

        var shown = Ids(ColumnHtml(html, column));
        var after = shown[^1].ToString(CultureInfo.InvariantCulture);
        var pages = 0;
        while (after is { Length: > 0 })
        {
            var fragment = await client.GetStringAsync($"/board/{board}?handler=Column&column={Q(column)}&after={after}", Ct);
            Assert.Contains("data-total=\"45\"", fragment, StringComparison.Ordinal);
            Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
            shown.AddRange(Ids(fragment));
            after = After().Match(fragment).Groups[1].Value;
            pages++;
        }
        Assert.Equal(2, pages);
        Assert.Equal(ids, shown);

        // The script-free link's page shows 40 of the column.
        var more = await client.GetStringAsync($"/board/{board}?show=40", Ct);
        Assert.Equal(ids.Take(40), Ids(ColumnHtml(more, column)));
    }

    [Fact]
    public async Task NextPage_AfterACardAboveTheCursorMovedAway_NeitherSkipsNorRepeatsACard()
    {
        var (board, column, other, ids) = await BoardAsync(30);
        using var client = await SignInAsync();
        var first = Ids(ColumnHtml(await client.GetStringAsync($"/board/{board}", Ct), column));
        Assert.Equal(ids.Take(PageSize), first);

        // Someone moves the third card to another column while this page is open: an offset of 20 would now skip card 21.
        var admin = await app.AdminAsync();
        (await admin.PostAsJsonAsync($"/api/v1/boards/{board}/moves", new { issueId = ids[2], toColumn = other, position = 0 }, Ct)).EnsureSuccessStatusCode();

        var fragment = await client.GetStringAsync($"/board/{board}?handler=Column&column={Q(column)}&after={first[^1]}", Ct);
        Assert.Equal(ids.Skip(PageSize), Ids(fragment));
        Assert.Contains("data-total=\"29\"", fragment, StringComparison.Ordinal);
        Assert.Equal("", After().Match(fragment).Groups[1].Value);
    }

    [Fact]
    public async Task ColumnPage_OfAnUnknownColumnOrAfterACardNotOnTheBoard_IsRefused()
    {
        var (board, column, _, _) = await BoardAsync(1);
        var (_, _, _, elsewhere) = await BoardAsync(1);
        using var client = await SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/board/{board}?handler=Column&column=no-such-column", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await client.GetAsync($"/board/{board}?handler=Column&column={Q(column)}&after={elsewhere[0]}", Ct)).StatusCode);
    }

    [Fact]
    public async Task PagesAndApiAnswers_AreCompressed_ButNotTheAccountPages()
    {
        var (board, column, _, ids) = await BoardAsync(3);
        using var client = await SignInAsync();

        using var page = new HttpRequestMessage(HttpMethod.Get, $"/board/{board}");
        page.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var brotli = await client.SendAsync(page, Ct);
        Assert.Equal(HttpStatusCode.OK, brotli.StatusCode);
        Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
        await using (var body = new BrotliStream(await brotli.Content.ReadAsStreamAsync(Ct), CompressionMode.Decompress))
        {
            Assert.Equal(ids, Ids(ColumnHtml(await new StreamReader(body).ReadToEndAsync(Ct), column)));
        }

        var admin = await app.AdminAsync();
        using var api = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/boards/{board}");
        api.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gzip = await admin.SendAsync(api, Ct);
        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);

        using var problem = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/boards/{Guid.NewGuid()}");
        problem.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var notFound = await admin.SendAsync(problem, Ct);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["br"], notFound.Content.Headers.ContentEncoding);

        // The pages that show a new API token are never compressed (BREACH; see docs/performance.md).
        using var account = new HttpRequestMessage(HttpMethod.Get, "/account/tokens");
        account.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var tokens = await client.SendAsync(account, Ct);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        Assert.Empty(tokens.Content.Headers.ContentEncoding);
    }
}

public sealed class SqliteBoardColumnPagingTests(SqliteApp app) : BoardColumnPagingTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresBoardColumnPagingTests(PostgresApp app) : BoardColumnPagingTests<PostgresApp>(app), IClassFixture<PostgresApp>;
