using Microsoft.EntityFrameworkCore;
using ProServ.Core.Data;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Infrastructure;

internal static class Startup
{
    /// Resolves the database settings: SQLite next to the app unless Database:Provider says postgres.
    public static (DatabaseProvider Provider, string ConnectionString) DatabaseSettings(IConfiguration config, IHostEnvironment env)
    {
        var provider = DatabaseSetup.ParseProvider(config["Database:Provider"]);
        var cs = config.GetConnectionString("Default");
        if (provider == DatabaseProvider.Sqlite)
        {
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
                string.IsNullOrWhiteSpace(cs) ? "Data Source=App_Data/proserv.db" : cs);
            if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            {
                builder.DataSource = Path.Combine(env.ContentRootPath, builder.DataSource);
            }
            if (builder.DataSource != ":memory:")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
            }
            builder.Pooling = true;
            return (provider, builder.ToString());
        }
        if (string.IsNullOrWhiteSpace(cs))
        {
            throw new InvalidOperationException(
                "Database:Provider is postgres but ConnectionStrings:Default is empty; set it, e.g. ConnectionStrings__Default='Host=localhost;Database=proserv;Username=proserv;Password=…'.");
        }
        return (provider, cs);
    }

    /// Migrates the database, seeds reference data, and makes sure there is a way to sign in as administrator.
    public static async Task InitialiseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<ProServDbContext>();
        var ct = app.Lifetime.ApplicationStopping;
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while one writer commits.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync(ct);
        await sp.GetRequiredService<Seeder>().SeedAsync(ct);
        var setup = sp.GetRequiredService<SetupService>();
        await setup.EnsureRolesAsync(ct);

        var config = app.Configuration;
        var email = config["Admin:Email"] ?? config["PROSERV_ADMIN_EMAIL"];
        var password = config["Admin:Password"] ?? config["PROSERV_ADMIN_PASSWORD"];
        var log = app.Logger;
        if (!string.IsNullOrWhiteSpace(email) && !string.IsNullOrEmpty(password))
        {
            if (await setup.EnsureAdministratorAsync(email.Trim(), password, ct))
            {
                log.LogInformation("Created the first administrator {Email} from configuration", email.Trim());
            }
        }
        else if (!await setup.HasAdministratorAsync(ct))
        {
            var secret = await setup.IssueSetupTokenAsync(ct);
            var baseUrl = (config["Urls"] ?? "http://localhost:5080").Split(';')[0].TrimEnd('/');
            // The one-time link goes to the console only, never to the log sinks.
            Console.WriteLine();
            Console.WriteLine("ProServ has no administrator yet. Open this one-time link within 24 hours to create one:");
            Console.WriteLine($"    {baseUrl}/setup?token={secret}");
            Console.WriteLine("(or set PROSERV_ADMIN_EMAIL and PROSERV_ADMIN_PASSWORD and restart)");
            Console.WriteLine();
        }
    }
}
