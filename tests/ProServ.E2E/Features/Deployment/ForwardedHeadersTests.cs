using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Features.Deployment;

/// <summary>
/// X-Forwarded-Proto is believed from the configured proxies only: anyone else could otherwise claim https (and
/// X-Forwarded-For any client address). HSTS, sent on https requests only, shows which scheme the app believed.
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task ForwardedProto_FromLoopback_IsBelievedByDefault()
    {
        await using var app = await ProductionApp.StartAsync([]);

        var response = await app.GetHealthAsForwardedHttpsAsync();

        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ForwardedProto_FromAnAddressThatIsNotAKnownProxy_IsIgnored()
    {
        await using var app = await ProductionApp.StartAsync(new() { ["ForwardedHeaders:KnownProxies"] = "192.0.2.1" });

        var response = await app.GetHealthAsForwardedHttpsAsync();

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ForwardedProto_FromAKnownNetwork_IsBelieved()
    {
        await using var app = await ProductionApp.StartAsync(new() { ["ForwardedHeaders:KnownNetworks"] = "192.0.2.0/24, 127.0.0.0/8" });

        var response = await app.GetHealthAsForwardedHttpsAsync();

        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task AMistypedNetwork_StopsTheAppAtStart_NamingTheKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ProductionApp.StartAsync(new() { ["ForwardedHeaders:KnownNetworks"] = "10.0.0.0/33" }));

        Assert.Contains("ForwardedHeaders:KnownNetworks", error.Message, StringComparison.Ordinal);
    }

    private sealed class ProductionApp : IAsyncDisposable
    {
        private readonly string _dir;
        private readonly AppFactory _app;
        private readonly Uri _address;

        private ProductionApp(string dir, AppFactory app, Uri address)
        {
            _dir = dir;
            _app = app;
            _address = address;
        }

        public static async Task<ProductionApp> StartAsync(Dictionary<string, string> settings)
        {
            var dir = Directory.CreateTempSubdirectory("proserv-fwd-").FullName;
            settings["Database:Provider"] = "sqlite";
            settings["ConnectionStrings:Default"] = $"Data Source={Path.Combine(dir, "proserv.db")}";
            settings["Storage:DataDirectory"] = Path.Combine(dir, "files");
            var app = new AppFactory(settings, environment: "Production");
            try
            {
                return new ProductionApp(dir, app, app.Start());
            }
            catch
            {
                await app.DisposeAsync();
                Directory.Delete(dir, recursive: true);
                throw;
            }
        }

        /// <summary>/healthz as a TLS-terminating proxy on loopback would forward it, for a real host name (HSTS skips localhost).</summary>
        public async Task<HttpResponseMessage> GetHealthAsForwardedHttpsAsync()
        {
            using var client = new HttpClient { BaseAddress = _address };
            using var request = new HttpRequestMessage(HttpMethod.Get, "healthz");
            request.Headers.Host = "proserv.test";
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            return response;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp dir; must not fail the test.
            }
        }
    }
}
