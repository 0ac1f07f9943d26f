extern alias web;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ProServ.Core.Data;

/// The board page as a browser gets it: the real app (WebApplicationFactory over the seeded database, Production
/// environment), signed in through the sign-in form, GET /board/{id} of the benchmark board, whole body read. In-process
/// (TestServer), so this is the server-side render: routing, auth, the page model's queries and the Razor HTML, no network.
internal static partial class HtmlMeasure
{
    private const string AdminEmail = "bench-admin@proserv.test";
    private const string AdminPassword = "bench administrator passphrase";

    public static async Task<(double Median, double P90, int Cards, int Kilobytes)> RunAsync(
        DatabaseProvider provider, string connection, Guid boardId, int runs, CancellationToken ct)
    {
        // The app's content root (wwwroot, appsettings.json): src/ProServ.Web of this checkout, found from the build output.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PROSERV_WEB", WebContentRoot());
        var files = Path.Combine(Path.GetTempPath(), "proserv-bench-files-" + Guid.NewGuid().ToString("n"));
        try
        {
            await using var app = new App(new Dictionary<string, string>
            {
                ["Database:Provider"] = provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres",
                ["ConnectionStrings:Default"] = connection,
                ["Admin:Email"] = AdminEmail,
                ["Admin:Password"] = AdminPassword,
                ["Storage:DataDirectory"] = files,
            });
            // https: outside Development the auth and antiforgery cookies are Secure-only.
            using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
            await SignInAsync(client, ct);

            var url = new Uri($"/board/{boardId}", UriKind.Relative);
            var html = "";
            for (var i = 0; i < 3; i++) html = await GetAsync(client, url, ct); // warm-up: Razor, EF, pools
            var cards = CardItem().Count(html);
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                html = await GetAsync(client, url, ct);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            return (times[times.Count / 2], times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.9) - 1)], cards,
                System.Text.Encoding.UTF8.GetByteCount(html) / 1024);
        }
        finally
        {
            try { Directory.Delete(files, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
        }
    }

    private static string WebContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var web = Path.Combine(dir.FullName, "src", "ProServ.Web");
            if (File.Exists(Path.Combine(web, "ProServ.Web.csproj"))) return web;
        }
        throw new DirectoryNotFoundException("src/ProServ.Web not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> GetAsync(HttpClient client, Uri url, CancellationToken ct)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"GET {url} answered {(int)response.StatusCode}."));
        }
        return body;
    }

    private static async Task SignInAsync(HttpClient client, CancellationToken ct)
    {
        var signIn = new Uri("/account/sign-in", UriKind.Relative);
        var form = await client.GetStringAsync(signIn, ct);
        var token = AntiforgeryField().Match(form) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token on the sign-in page.");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = AdminEmail,
            ["Input.Password"] = AdminPassword,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await client.PostAsync(signIn, content, ct);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Sign-in answered {(int)response.StatusCode}, not a redirect."));
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<li class=\"board-card\"")]
    private static partial Regex CardItem();

    private sealed class App(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<web::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            // UseSetting, unlike ConfigureAppConfiguration, is visible to Program.cs before builder.Build().
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
