using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace ProServ.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseSetup
{
    public static DatabaseProvider ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException(
            $"Database:Provider '{value}' is not supported; use 'sqlite' (the default) or 'postgres'."),
    };

    /// Registers the provider's context and exposes it as <see cref="ProServDbContext"/> to the rest of the app.
    public static IServiceCollection AddProServDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<SqliteProServDbContext>(o => ConfigureSqlite(o, connectionString));
                services.AddScoped<ProServDbContext>(sp => sp.GetRequiredService<SqliteProServDbContext>());
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContext<PostgresProServDbContext>(o => ConfigurePostgres(o, connectionString));
                services.AddScoped<ProServDbContext>(sp => sp.GetRequiredService<PostgresProServDbContext>());
                break;
        }
        return services;
    }

    public static void ConfigureSqlite(DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(ProServDbContext).Assembly.FullName)
            .MigrationsHistoryTable("__EFMigrationsHistory")).AddInterceptors(StoredValueGuard.Instance);

    public static void ConfigurePostgres(DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString, s => s.MigrationsAssembly(typeof(ProServDbContext).Assembly.FullName)).AddInterceptors(StoredValueGuard.Instance);

    public static ProServDbContext Create(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteProServDbContext(Build<SqliteProServDbContext>(o => ConfigureSqlite(o, connectionString))),
        _ => new PostgresProServDbContext(Build<PostgresProServDbContext>(o => ConfigurePostgres(o, connectionString))),
    };

    private static DbContextOptions<T> Build<T>(Action<DbContextOptionsBuilder> configure) where T : DbContext
    {
        var b = new DbContextOptionsBuilder<T>();
        configure(b);
        return b.Options;
    }
}

/// Used by `dotnet ef` to generate the SQLite migrations.
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteProServDbContext>
{
    public SqliteProServDbContext CreateDbContext(string[] args) =>
        (SqliteProServDbContext)DatabaseSetup.Create(DatabaseProvider.Sqlite, "Data Source=design.db");
}

/// Used by `dotnet ef` to generate the PostgreSQL migrations (no server is contacted).
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresProServDbContext>
{
    public PostgresProServDbContext CreateDbContext(string[] args) =>
        (PostgresProServDbContext)DatabaseSetup.Create(DatabaseProvider.Postgres, "Host=localhost;Database=proserv_design");
}
