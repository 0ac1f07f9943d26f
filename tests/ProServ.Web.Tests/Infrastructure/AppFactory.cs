using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ProServ.Core.Data;

namespace ProServ.Web.Tests.Infrastructure;

/// The real app on a real database: a fresh SQLite file, or a fresh database on the PostgreSQL server that
/// ./test.sh starts (PROSERV_TEST_POSTGRES). The clock is a FakeTimeProvider starting at the real time.
public abstract class AppFactory(DatabaseProvider provider) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@proserv.test";
    public const string AdminPassword = "correct horse battery staple";
    public const string Password = "a long enough passphrase";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "proserv-tests", Guid.NewGuid().ToString("n"));
    private string? _connectionString;

    public DatabaseProvider Provider { get; } = provider;
    /// Uploaded files (agreements, P.O.s) of this app instance.
    public string FilesDirectory => Path.Combine(_dir, "files");
    public FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());
    private HttpClient? _admin;

    public string ConnectionString => _connectionString ??= Provider switch
    {
        DatabaseProvider.Sqlite => $"Data Source={Path.Combine(_dir, "proserv.db")}",
        _ => new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString())
        {
            Database = "proserv_test_" + Guid.NewGuid().ToString("n")[..12],
        }.ToString(),
    };

    /// None by default, so the admin helpers can get tokens with a password; null leaves the app's default.
    protected virtual string? MfaRequiredRoles => "";

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        // Starts the server (and migrates the database) now rather than in the first test.
        _ = Server;
        return ValueTask.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres");
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("Admin:Email", AdminEmail);
        builder.UseSetting("Admin:Password", AdminPassword);
        builder.UseSetting("Urls", "http://localhost");
        builder.UseSetting("Storage:DataDirectory", FilesDirectory);
        // Sign-in rate limits and the MFA requirement have their own tests (Features/Auth); elsewhere they only get in the way.
        builder.UseSetting("Auth:RateLimits:PerAddressPerWindow", "1000000");
        builder.UseSetting("Auth:RateLimits:PerAccountPerWindow", "1000000");
        if (MfaRequiredRoles is { } mfaRoles) builder.UseSetting("Auth:MfaRequiredRoles", mfaRoles);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// An HTTPS client (the auth cookies are Secure) without an API token.
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
    });

    public async Task<string> TokenAsync(string email, string password, int? days = null)
    {
        using var client = Anonymous();
        var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password, name = "tests", expiresInDays = days });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.Token;
    }

    public HttpClient WithToken(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> AdminAsync() => _admin ??= WithToken(await TokenAsync(AdminEmail, AdminPassword));

    /// Creates a user with the roles through the API and returns a client authenticated as that user.
    public async Task<(Guid Id, string Email, HttpClient Client)> UserAsync(string[] roles, Guid? customerId = null)
    {
        var admin = await AdminAsync();
        var email = $"{roles[0]}-{Guid.NewGuid():n}@proserv.test";
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email, password = Password, name = "Test " + roles[0], roles, customerId });
        response.EnsureSuccessStatusCode();
        var user = await response.Content.ReadFromJsonAsync<IdBody>();
        return (user!.Id, email, WithToken(await TokenAsync(email, Password)));
    }

    public async Task<Guid> CustomerAsync(string tier = "premium", bool upgradingFromCe = false)
    {
        var admin = await AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/customers", new
        {
            name = "Customer " + Guid.NewGuid().ToString("n")[..10], tier, licensedSeats = 100, activeUsers = 40, upgradingFromCe,
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdBody>())!.Id;
    }

    public ProServDbContext NewDbContext() => DatabaseSetup.Create(Provider, ConnectionString);

    public sealed record TokenBody(string Token);

    public sealed record IdBody(Guid Id);
}

public sealed class SqliteApp() : AppFactory(DatabaseProvider.Sqlite);

public sealed class PostgresApp() : AppFactory(DatabaseProvider.Postgres);

public static class PostgresServer
{
    public const string Variable = "PROSERV_TEST_POSTGRES";

    /// The server ./test.sh starts. Without it the PostgreSQL half of the suite is skipped, loudly.
    public static string ConnectionString() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{Variable} is not set: run ./test.sh, which starts a PostgreSQL server.");

    public static bool Available => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 };
}
