using System.Net;
using System.Net.Sockets;
using System.Text;
using ProServ.Cli.Commands.Api;

namespace ProServ.Cli.Tests.Commands.Api;

public sealed class ApiCommandHandlerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proserv-cli-api-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ApiCommandHandler Handler(HttpMessageHandler http, string stdin = "") =>
        new(_out, _err, new StringReader(stdin), name => _env.GetValueOrDefault(name), () => http);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Get_ByDefault_GoesUnderTheApiPrefixAndPrintsIndentedJson()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.OK, """{"items":[{"name":"Zoë & Co"}],"total":1}""");

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("customers?search=zo", Url: "http://proserv.test/"), Ct);

        Assert.Equal(0, code);
        var sent = Assert.Single(http.Sent);
        Assert.Equal("GET", sent.Method);
        Assert.Equal("http://proserv.test/api/v1/customers?search=zo", sent.Uri);
        Assert.Equal("application/json, application/problem+json", sent.Accept);
        Assert.Null(sent.Body);
        Assert.Equal("{\n  \"items\": [\n    {\n      \"name\": \"Zoë & Co\"\n    }\n  ],\n  \"total\": 1\n}\n", _out.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(_err.ToString());
    }

    [Fact]
    public async Task Data_WithoutMethod_IsPostedAsJson()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.Created, """{"id":7}""");

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("/customers", Data: """{"name":"Acme"}""", Url: "http://proserv.test"), Ct);

        Assert.Equal(0, code);
        var sent = Assert.Single(http.Sent);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("http://proserv.test/api/v1/customers", sent.Uri);
        Assert.Equal("application/json; charset=utf-8", sent.ContentType);
        Assert.Equal("""{"name":"Acme"}""", sent.Body);
    }

    [Fact]
    public async Task Method_GivenWithData_IsUsed()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");

        await Handler(http).HandleAsync(new ApiCommandArgs("customers/7", Method: "PATCH", Data: """{"tier":"premium"}""", Url: "http://proserv.test"), Ct);

        Assert.Equal("PATCH", Assert.Single(http.Sent).Method);
    }

    [Fact]
    public async Task Data_FromAFileAndFromStandardInput_IsSentAsWritten()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");
        var file = WriteFile("body.json", "{ \"name\": \"From file\" }\n");

        await Handler(http).HandleAsync(new ApiCommandArgs("customers", Data: "@" + file, Url: "http://proserv.test"), Ct);
        await Handler(http, stdin: """{"name":"From stdin"}""").HandleAsync(new ApiCommandArgs("customers", Data: "@-", Url: "http://proserv.test"), Ct);

        Assert.Equal(["{ \"name\": \"From file\" }\n", """{"name":"From stdin"}"""], http.Sent.Select(s => s.Body));
    }

    [Fact]
    public async Task Data_ThatIsNotJson_IsRefusedBeforeAnythingIsSent()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("customers", Data: "{name:", Url: "http://proserv.test"), Ct);

        Assert.Equal(1, code);
        Assert.Empty(http.Sent);
        Assert.StartsWith("error: --data is not JSON: ", _err.ToString(), StringComparison.Ordinal);
        Assert.Empty(_out.ToString());
    }

    [Fact]
    public async Task Token_FromTheEnvironment_IsSentAsBearer()
    {
        _env["PROSERV_TOKEN"] = "env-token";
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");

        await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "http://proserv.test"), Ct);

        Assert.Equal("Bearer env-token", Assert.Single(http.Sent).Authorization);
    }

    [Fact]
    public async Task Token_FromAFile_WinsOverTheEnvironmentAndIsTrimmed()
    {
        _env["PROSERV_TOKEN"] = "env-token";
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");

        await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "http://proserv.test", TokenFile: WriteFile("token", "  file-token\n")), Ct);

        Assert.Equal("Bearer file-token", Assert.Single(http.Sent).Authorization);
    }

    [Fact]
    public async Task Token_Missing_SendsNoAuthorization()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");

        await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "http://proserv.test", TokenFile: WriteFile("empty", "")), Ct);

        Assert.Null(Assert.Single(http.Sent).Authorization);
    }

    [Fact]
    public async Task TokenFile_ThatDoesNotExist_IsAnErrorAndNothingIsSent()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "http://proserv.test", TokenFile: Path.Combine(_dir, "missing")), Ct);

        Assert.Equal(1, code);
        Assert.Empty(http.Sent);
        Assert.Equal($"error: Could not find file '{Path.Combine(_dir, "missing")}'.\n", _err.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(null, null, "http://localhost:5080/api/v1/customers")]
    [InlineData(null, "http://env.test:81/", "http://env.test:81/api/v1/customers")]
    [InlineData("http://flag.test/prefix", "http://env.test/", "http://flag.test/prefix/api/v1/customers")]
    public async Task Url_ComesFromTheOptionThenTheEnvironmentThenTheDefault(string? flag, string? env, string expected)
    {
        if (env is not null)
        {
            _env["PROSERV_URL"] = env;
        }
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");

        await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: flag), Ct);

        Assert.Equal(expected, Assert.Single(http.Sent).Uri);
    }

    [Fact]
    public async Task Refusal_PrintsStatusTitleDetailRuleAndEveryFieldErrorOnStderr()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.UnprocessableEntity, """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.21","title":"A rule of the handbook refuses this","status":422,
             "detail":"Quotes are priced per package, never per hour or day.","rule":"no-hourly-rates",
             "errors":{"lines[0].unit":["Use a package unit.","Hours are not sold."],"name":["Name is required."]}}
            """, "application/problem+json");
        _env["PROSERV_TOKEN"] = "t";

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("quotes", Data: "{}", Url: "http://proserv.test"), Ct);

        Assert.Equal(1, code);
        Assert.Empty(_out.ToString());
        Assert.Equal("""
            error: 422 Unprocessable Entity: A rule of the handbook refuses this
            Quotes are priced per package, never per hour or day.
            rule: no-hourly-rates
            lines[0].unit: Use a package unit.
            lines[0].unit: Hours are not sold.
            name: Name is required.

            """.ReplaceLineEndings("\n"), _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Unauthorized_WithoutAToken_SaysHowToGetOne()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.Unauthorized, "", mediaType: null);

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "http://proserv.test"), Ct);

        Assert.Equal(1, code);
        Assert.Equal("error: 401 Unauthorized\nno API token: set PROSERV_TOKEN or pass --token-file (create one under Tokens in the web app)\n",
            _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Unauthorized_WithAToken_GivesNoHint()
    {
        _env["PROSERV_TOKEN"] = "expired";
        var http = new RecordingHttpHandler(HttpStatusCode.Unauthorized, "", mediaType: null);

        await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "http://proserv.test"), Ct);

        Assert.Equal("error: 401 Unauthorized\n", _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ErrorBody_ThatClaimsJsonButIsNot_IsPrintedAsIs()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.InternalServerError, "<html>oops</html>");

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "http://proserv.test"), Ct);

        Assert.Equal(1, code);
        Assert.Equal("error: 500 Internal Server Error\n<html>oops</html>\n", _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Success_WithPlainTextOrNoBody_PrintsItUnchangedOrNothing()
    {
        var text = new RecordingHttpHandler(HttpStatusCode.OK, "Healthy", "text/plain");
        var empty = new RecordingHttpHandler(HttpStatusCode.NoContent, "", mediaType: null);

        Assert.Equal(0, await Handler(text).HandleAsync(new ApiCommandArgs("healthz", Url: "http://proserv.test"), Ct));
        Assert.Equal(0, await Handler(empty).HandleAsync(new ApiCommandArgs("customers/7", Method: "DELETE", Url: "http://proserv.test"), Ct));

        Assert.Equal("http://proserv.test/healthz", Assert.Single(text.Sent).Uri);
        Assert.Equal("Healthy\n", _out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Server_ThatCannotBeReached_IsAnErrorLine()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.OK) { Failure = new HttpRequestException("Connection refused (proserv.test:80)") };

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "http://proserv.test"), Ct);

        Assert.Equal(1, code);
        Assert.Equal("error: Connection refused (proserv.test:80)\n", _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Url_ThatIsNotAUrl_IsAnErrorLine()
    {
        var http = new RecordingHttpHandler(HttpStatusCode.OK, "{}");

        var code = await Handler(http).HandleAsync(new ApiCommandArgs("customers", Url: "ht!tp:://"), Ct);

        Assert.Equal(1, code);
        Assert.Empty(http.Sent);
        Assert.StartsWith("error: Invalid URI", _err.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customers", "api/v1/customers")]
    [InlineData("/customers?search=a", "api/v1/customers?search=a")]
    [InlineData("/api/v1/engagements", "api/v1/engagements")]
    [InlineData("healthz", "healthz")]
    [InlineData(" /openapi/v1.json ", "openapi/v1.json")]
    public void Paths_GetTheApiPrefixWhenLeftOut(string given, string expected) => Assert.Equal(expected, ApiCommandHandler.RelativePath(given));

    [Fact]
    public async Task OverARealSocket_TheRequestAndTheAnswerArriveIntact()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var served = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var seen = $"{context.Request.HttpMethod} {context.Request.RawUrl} {context.Request.Headers["Authorization"]} {await reader.ReadToEndAsync(Ct)}";
            var answer = Encoding.UTF8.GetBytes("""{"seen":"ok"}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer, Ct);
            context.Response.Close();
            return seen;
        }, Ct);
        _env["PROSERV_TOKEN"] = "socket-token";
        var handler = new ApiCommandHandler(_out, _err, TextReader.Null, name => _env.GetValueOrDefault(name), () => new SocketsHttpHandler());

        var code = await handler.HandleAsync(new ApiCommandArgs("customers", Data: """{"name":"Wire"}""", Url: $"http://127.0.0.1:{port}"), Ct);

        Assert.True(code == 0, _err.ToString());
        Assert.Equal("""POST /api/v1/customers Bearer socket-token {"name":"Wire"}""", await served);
        Assert.Equal("{\n  \"seen\": \"ok\"\n}\n", _out.ToString().ReplaceLineEndings("\n"));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
