using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using ProServ.Core.Data;

namespace ProServ.Core.Features.Board;

/// Full-text search over issue titles, descriptions and comments: SQLite FTS5 or PostgreSQL text search. The only place with
/// provider-specific SQL for the board.
public static partial class IssueSearch
{
    private const string Fts = "IssueSearch";
    private const string PgVector = "SearchVector";

    /// PostgreSQL: a stored generated tsvector with a GIN index. Title weighs A, description and public comments B, internal
    /// comments D, so a customer contact's query can ask for A and B only.
    public static void ConfigurePostgres(ModelBuilder builder)
    {
        builder.Entity<Issue>().Property<NpgsqlTsVector>(PgVector)
            .HasComputedColumnSql(
                """
                setweight(to_tsvector('english'::regconfig, coalesce("Title", '')), 'A') ||
                setweight(to_tsvector('english'::regconfig, coalesce("Description", '') || ' ' || coalesce("PublicCommentText", '')), 'B') ||
                setweight(to_tsvector('english'::regconfig, coalesce("InternalCommentText", '')), 'D')
                """, stored: true);
        builder.Entity<Issue>().HasIndex(PgVector).HasMethod("GIN");
    }

    /// SQLite: an external-content FTS5 table over the Issues table, kept in step by triggers. Created at start-up (idempotently)
    /// because EF migrations do not model virtual tables; rebuilt from the Issues table when it is first created.
    public static async Task EnsureAsync(ProServDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return;
        }
        var exists = await db.Database
            .SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'IssueSearch'")
            .SingleAsync(ct);
        await db.Database.ExecuteSqlRawAsync(
            """
            CREATE VIRTUAL TABLE IF NOT EXISTS "IssueSearch" USING fts5(
                "Title", "Description", "PublicCommentText", "InternalCommentText",
                content = 'Issues', content_rowid = 'Id', tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE TRIGGER IF NOT EXISTS "Issues_search_insert" AFTER INSERT ON "Issues" BEGIN
                INSERT INTO "IssueSearch"(rowid, "Title", "Description", "PublicCommentText", "InternalCommentText")
                VALUES (new."Id", new."Title", new."Description", new."PublicCommentText", new."InternalCommentText");
            END;
            CREATE TRIGGER IF NOT EXISTS "Issues_search_delete" AFTER DELETE ON "Issues" BEGIN
                INSERT INTO "IssueSearch"("IssueSearch", rowid, "Title", "Description", "PublicCommentText", "InternalCommentText")
                VALUES ('delete', old."Id", old."Title", old."Description", old."PublicCommentText", old."InternalCommentText");
            END;
            CREATE TRIGGER IF NOT EXISTS "Issues_search_update"
            AFTER UPDATE OF "Title", "Description", "PublicCommentText", "InternalCommentText" ON "Issues" BEGIN
                INSERT INTO "IssueSearch"("IssueSearch", rowid, "Title", "Description", "PublicCommentText", "InternalCommentText")
                VALUES ('delete', old."Id", old."Title", old."Description", old."PublicCommentText", old."InternalCommentText");
                INSERT INTO "IssueSearch"(rowid, "Title", "Description", "PublicCommentText", "InternalCommentText")
                VALUES (new."Id", new."Title", new."Description", new."PublicCommentText", new."InternalCommentText");
            END;
            """, ct);
        if (exists == 0)
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO \"IssueSearch\"(\"IssueSearch\") VALUES ('rebuild');", ct);
        }
    }

    /// The words of a search, letters and digits only: nothing the user types reaches the query syntax of either engine.
    public static IReadOnlyList<string> Words(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Take(12).ToList();

    /// Issues whose title, description or comments contain every word (as a prefix). Internal comments count only when
    /// <paramref name="includeInternal"/> is set (team members).
    public static IQueryable<Issue> Match(ProServDbContext db, IQueryable<Issue> issues, string text, bool includeInternal)
    {
        var words = Words(text);
        if (words.Count == 0)
        {
            return issues;
        }
        if (db.Database.IsSqlite())
        {
            var columns = includeInternal ? "" : "{Title Description PublicCommentText} : ";
            var match = string.Join(" AND ", words.Select(w => $"{columns}\"{w}\"*"));
            var ids = db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM \"IssueSearch\" WHERE \"IssueSearch\" MATCH {match}");
            return issues.Where(i => ids.Contains(i.Id));
        }
        var weights = includeInternal ? "" : "AB";
        var tsQuery = string.Join(" & ", words.Select(w => $"{w}:*{weights}"));
        return issues.Where(i => EF.Property<NpgsqlTsVector>(i, PgVector).Matches(EF.Functions.ToTsQuery("english", tsQuery)));
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
