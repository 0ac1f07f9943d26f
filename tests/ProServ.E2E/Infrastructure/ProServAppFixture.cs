using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(ProServ.E2E.Infrastructure.ProServAppFixture))]

namespace ProServ.E2E.Infrastructure;

/// <summary>
/// The real ProServ web app on a loopback Kestrel port with its own SQLite
/// database, plus Debian's Chromium driven by Playwright. One per test
/// assembly; each <see cref="NewPageAsync"/> gets its own browser context, so
/// tests do not share cookies.
/// </summary>
public sealed class ProServAppFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@proserv.test";
    public const string AdminPassword = "e2e-admin-password-1";

    // Chromium reaches for Google's services at start; this machine's network
    // is closed, so those connections fail noisily and slowly.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic",
    ];

    private string? _tempDir;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly Lock _contextsLock = new();
    private AppFactory? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Services of the running app, e.g. to seed data through its own services.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async ValueTask InitializeAsync()
    {
        // Fail before anything starts, with the reason, rather than skip: a
        // browser test that silently does not run proves nothing.
        _ = ChromiumPath();
        _tempDir = Directory.CreateTempSubdirectory("proserv-e2e-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "sqlite",
            ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(_tempDir, "proserv.db")}",
            ["Admin:Email"] = AdminEmail,
            ["Admin:Password"] = AdminPassword,
            ["PROSERV_ADMIN_EMAIL"] = AdminEmail,
            ["PROSERV_ADMIN_PASSWORD"] = AdminPassword,
            // The MFA requirement and sign-in limits have their own tests; here they would only get in the way.
            ["Auth:MfaRequiredRoles"] = "",
            ["Auth:RateLimits:PerAddressPerWindow"] = "1000000",
            ["Auth:RateLimits:PerAccountPerWindow"] = "1000000",
        };
        // The app reads the first administrator from the environment as well;
        // this process exists only to run these tests.
        Environment.SetEnvironmentVariable("PROSERV_ADMIN_EMAIL", AdminEmail);
        Environment.SetEnvironmentVariable("PROSERV_ADMIN_PASSWORD", AdminPassword);

        _app = new AppFactory(settings);
        var address = _app.Start();
        // Auth cookies are Secure; browsers accept those over plain HTTP only for the host name localhost.
        var uri = new UriBuilder(address) { Host = "localhost" }.Uri;
        BaseUrl = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");

        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchChromiumAsync();
    }

    /// <summary>
    /// Another headless Chromium, e.g. with <c>--host-resolver-rules</c>; the caller closes it. Playwright gives
    /// every launch a fresh, empty user-data dir.
    /// </summary>
    public Task<IBrowser> LaunchChromiumAsync(params string[] extraArgs) =>
        (_playwright ?? throw new InvalidOperationException("The fixture is not initialized.")).Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = [.. ChromiumArgs, .. extraArgs],
        });

    private static string ChromiumPath()
    {
        var chromium = Environment.GetEnvironmentVariable("PROSERV_CHROMIUM");
        if (string.IsNullOrEmpty(chromium) && File.Exists("/usr/bin/chromium"))
        {
            chromium = "/usr/bin/chromium";
        }
        if (string.IsNullOrEmpty(chromium) || !File.Exists(chromium))
        {
            throw new InvalidOperationException(
                "E2E tests need Chromium: set PROSERV_CHROMIUM to its executable or install Debian's chromium " +
                $"(apt-get install chromium). PROSERV_CHROMIUM='{chromium}'. ./test.sh does both.");
        }
        return chromium;
    }

    /// <summary>
    /// A page in a new browser context whose relative URLs resolve against
    /// <see cref="BaseUrl"/>. The fixture closes the context at the end of the
    /// run; close it earlier with <c>page.Context.CloseAsync()</c>.
    /// </summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(Browser, new BrowserNewContextOptions { BaseURL = BaseUrl.ToString() });

    /// <summary>
    /// A page in a new context of <paramref name="browser"/>, with the fixture's locale and time zone, whose
    /// Content-Security-Policy violations fail the test (<see cref="CspViolations"/>).
    /// </summary>
    public async Task<IPage> NewPageAsync(IBrowser browser, BrowserNewContextOptions options)
    {
        options.Locale ??= "en-GB";
        options.TimezoneId ??= "UTC";
        var context = await browser.NewContextAsync(options);
        lock (_contextsLock)
        {
            _contexts.Add(context);
        }
        // Closed early by the test, or with a browser the test launched and closed.
        context.Close += (_, closed) =>
        {
            lock (_contextsLock)
            {
                _contexts.Remove(closed);
            }
        };
        await CspViolations.WatchAsync(context);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        IBrowserContext[] contexts;
        lock (_contextsLock)
        {
            contexts = [.. _contexts];
        }
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_tempDir is null)
        {
            return;
        }
        try
        {
            Directory.Delete(_tempDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the run; it is in the temp dir.
        }
    }

}
