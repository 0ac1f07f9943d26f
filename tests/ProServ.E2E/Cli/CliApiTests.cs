using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using ProServ.Cli.Commands.Api;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Cli;

/// `proserv api` against the real app on Kestrel: lists, creates, explains refusals and a missing token.
public sealed class CliApiTests(ProServAppFixture app) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proserv-cli-").FullName;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var root = new RootCommand { ApiCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Ct);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<string> TokenFileAsync()
    {
        using var http = new HttpClient { BaseAddress = app.BaseUrl };
        var response = await http.PostAsJsonAsync("api/v1/auth/tokens",
            new { email = ProServAppFixture.AdminEmail, password = ProServAppFixture.AdminPassword, name = "cli test" }, Ct);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var file = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(file, body.RootElement.GetProperty("token").GetString() + "\n", Ct);
        return file;
    }

    [Fact]
    public async Task Api_ListsCreatesAndExplainsRefusals()
    {
        var token = await TokenFileAsync();
        var url = app.BaseUrl.ToString();
        var name = "Cli Co " + Guid.NewGuid().ToString("n")[..6];

        var created = await RunAsync("api", "customers", "--url", url, "--token-file", token,
            "-d", JsonSerializer.Serialize(new { name, tier = "premium", licensedSeats = 50, activeUsers = 20 }));
        Assert.True(created.Code == 0, created.Err);
        using (var doc = JsonDocument.Parse(created.Out))
        {
            Assert.Equal(name, doc.RootElement.GetProperty("name").GetString());
        }

        var listed = await RunAsync("api", "/api/v1/customers?search=" + Uri.EscapeDataString(name), "--url", url, "--token-file", token);
        Assert.Equal(0, listed.Code);
        using (var doc = JsonDocument.Parse(listed.Out))
        {
            Assert.Equal(name, doc.RootElement.GetProperty("items")[0].GetProperty("name").GetString());
        }

        // A refusal: exit 1, the status, the title and every field's message on stderr, nothing on stdout.
        var refused = await RunAsync("api", "customers", "--url", url, "--token-file", token, "-d", """{"name":"","tier":"platinum"}""");
        Assert.Equal(1, refused.Code);
        Assert.Empty(refused.Out);
        Assert.Contains("422", refused.Err, StringComparison.Ordinal);
        Assert.Contains("name: ", refused.Err, StringComparison.Ordinal);
        Assert.Contains("tier: ", refused.Err, StringComparison.Ordinal);

        var badJson = await RunAsync("api", "customers", "--url", url, "--token-file", token, "-d", "{name:");
        Assert.Equal(1, badJson.Code);
        Assert.Contains("--data is not JSON", badJson.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithoutAToken_SaysHowToGetOne()
    {
        var (code, _, err) = await RunAsync("api", "customers", "--url", app.BaseUrl.ToString(), "--token-file", await EmptyFileAsync());
        Assert.Equal(1, code);
        Assert.Contains("401", err, StringComparison.Ordinal);
        Assert.Contains("no API token", err, StringComparison.Ordinal);
    }

    private async Task<string> EmptyFileAsync()
    {
        var file = Path.Combine(_dir, "empty");
        await File.WriteAllTextAsync(file, "", Ct);
        return file;
    }
}
