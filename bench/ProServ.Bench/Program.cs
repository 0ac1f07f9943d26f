using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Board;

// The board benchmark: `seed` fills a database with generated issues, labels and boards; `measure` times what the
// performance goals name (board render in the service and as the real page's HTML, filtered full-text search, card move)
// and prints one line of medians. The load benchmark (bench/load.sh): `seed-tenants` adds customers and engagements,
// `load` drives the running app at a fixed rate (Load.cs).
//   ProServ.Bench seed    --provider sqlite|postgres --connection "<cs>" --issues 100000 --labels 1000 --boards 50
//   ProServ.Bench measure --provider sqlite|postgres --connection "<cs>" [--runs 30]
//   ProServ.Bench seed-tenants --provider ... --connection ... --customers 300 --engagements 600
//   ProServ.Bench load    --provider ... --connection ... --url http://127.0.0.1:PORT --email E --password P
//                         [--rate 200] [--duration 600] [--warmup 15] [--pid WEB_PID] [--wrk-out DIR] [--label NAME]
var options = Args.Parse(args);
if (options.Command is not ("seed" or "measure" or "seed-tenants" or "load"))
{
    await Console.Error.WriteLineAsync("usage: ProServ.Bench seed|measure|seed-tenants|load --provider sqlite|postgres --connection <cs> [--issues N --labels N --boards N] [--runs N]");
    return 2;
}
var provider = DatabaseSetup.ParseProvider(options.Get("provider", "sqlite"));
var connection = options.Get("connection", "Data Source=bench.db");
var services = new ServiceCollection();
services.AddLogging();
services.AddProServDatabase(provider, connection);
services.AddProServCore();
if (Environment.GetEnvironmentVariable("BENCH_SQL") == "1")
{
    // Prints every SQL command with its duration, to see where the time goes.
    services.ConfigureDbContext<SqliteProServDbContext>(o => o.LogTo(Console.WriteLine, [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted]));
    services.ConfigureDbContext<PostgresProServDbContext>(o => o.LogTo(Console.WriteLine, [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted]));
}
await using var sp = services.BuildServiceProvider();

if (options.Command == "seed")
{
    await Generator.SeedAsync(sp, options.Int("issues", 100_000), options.Int("labels", 1_000), options.Int("boards", 50));
    return 0;
}
if (options.Command == "seed-tenants")
{
    await TenantSeeder.SeedAsync(sp, options.Int("customers", 300), options.Int("engagements", 600));
    return 0;
}
if (options.Command == "load")
{
    return await Load.RunAsync(sp, options);
}
await Measure.RunAsync(sp, provider, connection, options.Int("runs", 30));
return 0;

internal sealed record Args(string Command, Dictionary<string, string> Values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        return new Args(args.Length > 0 ? args[0] : "", values);
    }

    public string Get(string key, string fallback) => Values.GetValueOrDefault(key, fallback);

    public int Int(string key, int fallback) => Values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

/// Generates a board-shaped data set: every issue is on one of the boards (label bench-board-N), spread over that board's
/// Open column, four label columns and Closed; each carries a few of the other labels; one in ten has a comment.
internal static class Generator
{
    public static readonly string[] Words =
    [
        "migration", "pipeline", "runner", "kubernetes", "ldap", "jenkins", "jira", "training", "certification", "discovery",
        "sizing", "upgrade", "backup", "geo", "replication", "registry", "helm", "terraform", "audit", "compliance",
        "onboarding", "workshop", "subversion", "bitbucket", "github", "fogbugz", "mattermost", "webhook", "sso", "oidc",
        "saml", "gitaly", "praefect", "postgres", "redis", "sidekiq", "monitoring", "prometheus", "grafana", "latency",
        "throughput", "quota", "license", "renewal", "expansion", "adoption", "waves", "cutover", "rollback", "parity",
    ];

    public static async Task SeedAsync(IServiceProvider root, int issues, int labels, int boards)
    {
        var clock = Stopwatch.StartNew();
        await using (var scope = root.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
            if (db.Database.IsSqlite())
            {
                await db.Database.OpenConnectionAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
                await db.Database.CloseConnectionAsync();
            }
            await db.Database.MigrateAsync();
            await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(CancellationToken.None);
            if (await db.Boards.AnyAsync(b => b.Name == "bench-board-0"))
            {
                Console.WriteLine("seed: the database holds a benchmark data set already; nothing to do.");
                return;
            }
        }

        var random = new Random(42);
        var now = DateTimeOffset.Parse("2026-11-01T09:00:00Z", CultureInfo.InvariantCulture);
        List<Label> pool;
        List<(Label Marker, Label[] Columns)> boardLabels = [];
        await using (var scope = root.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
            var make = (string name) => new Label
            {
                Id = Guid.NewGuid(),
                Name = name,
                Key = LabelRules.KeyOf(name),
                Scope = LabelRules.ScopeOf(name),
                Color = "#336699",
                CreatedAt = now,
            };
            // Half scoped (20 scopes of 25 values), half plain; the boards' markers and columns come on top.
            pool = Enumerable.Range(0, labels).Select(i => make(i % 2 == 0 ? $"bench-scope{i % 40 / 2}::v{i / 40}" : $"bench-label-{i}")).ToList();
            db.Labels.AddRange(pool);
            for (var b = 0; b < boards; b++)
            {
                var marker = make($"bench-board-{b}");
                var columns = Enumerable.Range(0, 4).Select(c => make($"bench-b{b}::col{c}")).ToArray();
                db.Labels.Add(marker);
                db.Labels.AddRange(columns);
                boardLabels.Add((marker, columns));
                db.Boards.Add(new IssueBoard
                {
                    Id = Guid.NewGuid(),
                    Name = $"bench-board-{b}",
                    Filter = $"label=bench-board-{b}",
                    CreatedAt = now,
                    Columns = columns.Select((c, i) => new BoardColumn { Id = Guid.NewGuid(), LabelId = c.Id, Position = i }).ToList(),
                });
            }
            await db.SaveChangesAsync();
        }

        const int batch = 2_000;
        for (var start = 0; start < issues; start += batch)
        {
            await using var scope = root.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var comments = new List<(Issue Issue, string Body)>();
            for (var i = start; i < Math.Min(issues, start + batch); i++)
            {
                var b = i % boards;
                var column = i / boards % 5;
                var description = Sentence(random, 30);
                var issue = new Issue
                {
                    Title = $"{Sentence(random, 5)} #{i}",
                    Description = description,
                    DescriptionHtml = $"<p>{description}</p>",
                    Type = IssueType.All[random.Next(IssueType.All.Count)],
                    State = i % 10 == 9 ? Issue.Closed : Issue.Open,
                    DueDate = random.Next(3) == 0 ? new DateOnly(2026, 1, 1).AddDays(random.Next(730)) : null,
                    Weight = random.Next(4) == 0 ? random.Next(1, 9) : null,
                    AuthorName = "bench",
                    Rank = (i + 1) * IssueService.RankGap,
                    CreatedAt = now.AddMinutes(i),
                    UpdatedAt = now.AddMinutes(i),
                    ClosedAt = i % 10 == 9 ? now.AddMinutes(i + 1) : null,
                };
                var set = new List<Label> { boardLabels[b].Marker };
                if (column > 0) set.Add(boardLabels[b].Columns[column - 1]);
                for (var k = random.Next(4); k > 0; k--) LabelRules.AddExclusive(set, pool[random.Next(pool.Count)]);
                issue.Labels = set.Select(l => new IssueLabel { LabelId = l.Id }).ToList();
                if (i % 10 == 3)
                {
                    var body = Sentence(random, 15);
                    issue.PublicCommentText = "\n" + body;
                    comments.Add((issue, body));
                }
                db.Issues.Add(issue);
            }
            await db.SaveChangesAsync();
            foreach (var (issue, body) in comments)
            {
                db.IssueComments.Add(new IssueComment { IssueId = issue.Id, AuthorName = "bench", Body = body, BodyHtml = $"<p>{body}</p>", CreatedAt = now });
            }
            await db.SaveChangesAsync();
            if ((start / batch) % 10 == 9) Console.WriteLine($"seed: {start + batch} issues ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        await using (var scope = root.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
            await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite() ? "ANALYZE;" : "ANALYZE;");
        }
        Console.WriteLine($"seed: {issues} issues, {labels + boards * 5} labels, {boards} boards in {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// Text with a natural word distribution: one word in five from the practice's domain words above, the rest from a
    /// 20,000-word vocabulary drawn by Zipf's law (word k about 1/k as often as the most common one), as in real prose.
    public static string Sentence(Random random, int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => random.Next(5) == 0 ? Words[random.Next(Words.Length)] : Vocabulary(Zipf(random))));

    private const int VocabularySize = 20_000;
    private static readonly double[] Cumulative = BuildCumulative();

    private static double[] BuildCumulative()
    {
        var c = new double[VocabularySize];
        var sum = 0.0;
        for (var k = 0; k < VocabularySize; k++)
        {
            sum += 1.0 / (k + 1);
            c[k] = sum;
        }
        for (var k = 0; k < VocabularySize; k++) c[k] /= sum;
        return c;
    }

    private static int Zipf(Random random)
    {
        var i = Array.BinarySearch(Cumulative, random.NextDouble());
        return i < 0 ? Math.Min(~i, VocabularySize - 1) : i;
    }

    /// A pronounceable made-up word for rank k (stable: the same k gives the same word).
    public static string Vocabulary(int k)
    {
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var sb = new System.Text.StringBuilder();
        var n = k + 1;
        do
        {
            sb.Append(consonants[n % consonants.Length]);
            n /= consonants.Length;
            sb.Append(vowels[n % vowels.Length]);
            n /= vowels.Length;
        } while (n > 0);
        return sb.ToString();
    }
}

internal static class Measure
{
    public static async Task RunAsync(IServiceProvider root, DatabaseProvider provider, string connection, int runs)
    {
        var staff = Actor.System;
        var ct = CancellationToken.None;
        Guid boardId;
        int cards;
        await using (var scope = root.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
            boardId = await db.Boards.Where(b => b.Name == "bench-board-0").Select(b => b.Id).SingleAsync(ct);
            var view = await scope.ServiceProvider.GetRequiredService<BoardService>().ViewAsync(staff, boardId, null, BoardService.DefaultCardsPerColumn, ct);
            cards = view.Columns.Sum(c => c.Cards.Count);
        }

        var render = await TimeAsync(root, runs, (sp, _) =>
            sp.GetRequiredService<BoardService>().ViewAsync(staff, boardId, null, BoardService.DefaultCardsPerColumn, ct));

        var random = new Random(7);
        var search = await TimeAsync(root, runs, (sp, i) =>
        {
            // A domain word and a word of middling frequency (rank 50–2,000 of the vocabulary), with type and state filters.
            var word = Generator.Words[i % Generator.Words.Length] + " " + Generator.Vocabulary(50 + i * 67 % 1950);
            return sp.GetRequiredService<IssueService>().ListAsync(staff,
                new IssueQuery(Search: word, Type: IssueType.All[i % IssueType.All.Count], State: "open"), new PageRequest(1, 25), ct);
        });

        List<long> movable;
        string[] columns;
        await using (var scope = root.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
            var marker = await db.Labels.Where(l => l.Key == "bench-board-0").Select(l => l.Id).SingleAsync(ct);
            movable = await db.Issues.Where(i => i.State == Issue.Open && i.Labels.Any(l => l.LabelId == marker))
                .OrderBy(i => i.Id).Select(i => i.Id).Take(runs + 5).ToListAsync(ct);
            columns = await db.BoardColumns.Where(c => c.BoardId == boardId).OrderBy(c => c.Position).Select(c => c.Label!.Name).ToArrayAsync(ct);
        }
        var move = await TimeAsync(root, runs, (sp, i) =>
            sp.GetRequiredService<BoardService>().MoveAsync(staff, boardId,
                new MoveInput(movable[i % movable.Count], columns[random.Next(columns.Length)], random.Next(0, 300)), ct));

        // The same board as the real page renders it: HTML through the app, signed in as an administrator.
        var html = await HtmlMeasure.RunAsync(provider, connection, boardId, runs, ct);

        int total;
        await using (var scope = root.CreateAsyncScope())
        {
            total = await scope.ServiceProvider.GetRequiredService<ProServDbContext>().Issues.CountAsync(ct);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT provider={provider.ToString().ToLowerInvariant()} issues={total} board_cards={cards} board_ms={render.Median:F1} board_p90_ms={render.P90:F1} search_ms={search.Median:F1} search_p90_ms={search.P90:F1} move_ms={move.Median:F1} move_p90_ms={move.P90:F1} html_cards={html.Cards} html_kb={html.Kilobytes} html_ms={html.Median:F1} html_p90_ms={html.P90:F1}"));
    }

    private static async Task<(double Median, double P90)> TimeAsync<T>(IServiceProvider root, int runs, Func<IServiceProvider, int, Task<T>> body)
    {
        // Warm-up: connection pool, query compilation, caches.
        for (var i = 0; i < 3; i++)
        {
            await using var scope = root.CreateAsyncScope();
            await body(scope.ServiceProvider, 1000 + i);
        }
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            await using var scope = root.CreateAsyncScope();
            var watch = Stopwatch.StartNew();
            await body(scope.ServiceProvider, i);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.9) - 1)]);
    }
}
