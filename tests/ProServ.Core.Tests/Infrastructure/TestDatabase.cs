using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ProServ.Core;
using ProServ.Core.Data;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Tests.Infrastructure;

/// A freshly migrated real database (a SQLite file, or a new database on the ./test.sh PostgreSQL server)
/// with the Core services wired as the host wires them.
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _file;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? file)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _file = file;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddProServDatabase(provider, connectionString);
        services.AddProServCore();
        services.AddIdentityCore<ProServUser>(PasswordPolicy.Configure).AddRoles<ProServRole>()
            .AddEntityFrameworkStores<ProServDbContext>();
        Services = services.BuildServiceProvider();
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    public ServiceProvider Services { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool migrate = true)
    {
        TestDatabase db;
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"proserv-core-{Guid.NewGuid():n}.db");
            db = new TestDatabase(provider, $"Data Source={file}", file);
        }
        else
        {
            var cs = Environment.GetEnvironmentVariable("PROSERV_TEST_POSTGRES");
            if (string.IsNullOrEmpty(cs))
            {
                throw new InvalidOperationException("PROSERV_TEST_POSTGRES is not set: run ./test.sh, which starts a PostgreSQL server.");
            }
            var b = new NpgsqlConnectionStringBuilder(cs) { Database = "proserv_core_" + Guid.NewGuid().ToString("n")[..12] };
            db = new TestDatabase(provider, b.ToString(), null);
        }
        if (migrate)
        {
            await using var scope = db.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ProServDbContext>().Database.MigrateAsync();
            await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<SetupService>().EnsureRolesAsync(CancellationToken.None);
        }
        return db;
    }

    /// Runs the body in its own scope, as one web request would.
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> body)
    {
        await using var scope = Services.CreateAsyncScope();
        return await body(scope.ServiceProvider);
    }

    public async Task InScopeAsync(Func<IServiceProvider, Task> body)
    {
        await using var scope = Services.CreateAsyncScope();
        await body(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_file is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                try { File.Delete(f); } catch (IOException) { }
            }
        }
    }
}
