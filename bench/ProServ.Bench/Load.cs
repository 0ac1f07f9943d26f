using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;

/// Customers and engagements for the load benchmark's mix, through the app's own services (audit events included).
internal static class TenantSeeder
{
    public static async Task SeedAsync(IServiceProvider root, int customers, int engagements)
    {
        var clock = Stopwatch.StartNew();
        Guid[] offerings;
        await using (var scope = root.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
            if (await db.Customers.AnyAsync(c => EF.Functions.Like(c.Name, "Load customer %")))
            {
                Console.WriteLine("seed-tenants: the database holds the load benchmark's customers already; nothing to do.");
                return;
            }
            // Migration services: open to every tier without further conditions of the eligibility rules.
            offerings = await db.Offerings.Where(o => o.IsActive && o.Slug == "migration-services").Select(o => o.Id).ToArrayAsync();
        }
        var random = new Random(11);
        var ids = new List<Guid>();
        for (var i = 0; i < customers; i++)
        {
            await using var scope = root.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<CustomerService>();
            var customer = await service.CreateAsync(Actor.System, new CustomerInput(
                $"Load customer {i:D4} {Generator.Vocabulary(i * 37 % 5000)}", i % 3 == 0 ? Tier.Ultimate : Tier.Premium,
                100 + random.Next(5000), 50 + random.Next(4000), i % 4 == 0, null, Generator.Sentence(random, 20),
                [new CustomerContactInput($"Contact {i}", $"contact{i}@load.test", "IT lead", null)]), CancellationToken.None);
            ids.Add(customer.Id);
        }
        for (var i = 0; i < engagements; i++)
        {
            await using var scope = root.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<EngagementService>().CreateAsync(Actor.System, new EngagementInput(
                ids[i % ids.Count], [offerings[i % offerings.Length]], $"Load engagement {i:D4}: {Generator.Sentence(random, 4)}"),
                CancellationToken.None);
        }
        Console.WriteLine($"seed-tenants: {customers} customers, {engagements} engagements in {clock.Elapsed.TotalSeconds:F0} s");
    }
}

/// An open-loop, fixed-rate load generator for the running app. Request i is sent at t0 + i/rate whatever happened to the
/// earlier ones, and its latency is counted from that scheduled instant, not from when it was actually sent: a server (or a
/// generator) that falls behind shows as latency instead of silently lowering the rate ("coordinated omission").
internal static partial class Load
{
    private sealed record Kind(string Name, Func<Random, string> Path);

    private readonly record struct Sample(int Kind, double LatencyMs, int Status);

    public static async Task<int> RunAsync(IServiceProvider root, Args options)
    {
        var baseUrl = new Uri(options.Get("url", "http://127.0.0.1:5080").TrimEnd('/') + "/");
        var rate = double.Parse(options.Get("rate", "200"), CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(options.Int("duration", 600));
        var warmup = TimeSpan.FromSeconds(options.Int("warmup", 15));
        var pid = options.Int("pid", 0);
        var ct = CancellationToken.None;

        var kinds = await MixAsync(root, ct);
        using var handler = new SocketsHttpHandler
        {
            // Enough connections that the client never queues: an open-loop test must not be limited by its own pool.
            MaxConnectionsPerServer = 2048,
            AutomaticDecompression = DecompressionMethods.All,
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
        };
        using var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var cookie = await SignInAsync(client, options.Get("email", ""), options.Get("password", ""), ct);
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        client.DefaultRequestHeaders.Add("Accept", "text/html");

        if (options.Values.TryGetValue("wrk-out", out var wrkOut))
        {
            // The same mix for wrk (capacity): one path per line, and the auth cookie.
            var random = new Random(3);
            await File.WriteAllLinesAsync(Path.Combine(wrkOut, "paths.txt"),
                Enumerable.Range(0, 4000).Select(i => kinds[i % kinds.Length].Path(random)), ct);
            await File.WriteAllTextAsync(Path.Combine(wrkOut, "cookie.txt"), cookie, ct);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {string.Join(", ", kinds.Select(k => k.Name))} in equal parts at {rate} req/s; {warmup.TotalSeconds:F0} s warm-up, then {duration.TotalSeconds:F0} s measured"));
        await RunPhaseAsync(client, kinds, rate, warmup, pid: 0, ct);
        var (samples, elapsed, memory) = await RunPhaseAsync(client, kinds, rate, duration, pid, ct);
        Report(kinds, samples, elapsed, rate, memory, options.Get("label", "load"));
        return 0;
    }

    /// The mix the attack probe measured: the customers list, an engagement's page, the big board and an issue search.
    private static async Task<Kind[]> MixAsync(IServiceProvider root, CancellationToken ct)
    {
        await using var scope = root.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
        var engagements = await db.Engagements.Select(e => e.Id).ToArrayAsync(ct);
        var customerPages = Math.Max(1, (await db.Customers.CountAsync(ct) + 24) / 25);
        var board = await db.Boards.Where(b => b.Name == "bench-board-0").Select(b => b.Id).SingleAsync(ct);
        if (engagements.Length == 0) throw new InvalidOperationException("No engagements: run `seed-tenants` first.");
        return
        [
            new("customers", r => string.Create(CultureInfo.InvariantCulture, $"customers?page={1 + r.Next(Math.Min(customerPages, 4))}")),
            new("engagement", r => $"engagements/{engagements[r.Next(engagements.Length)]}"),
            new("board", _ => $"board/{board}"),
            new("search", r => $"board/issues?search={Generator.Words[r.Next(Generator.Words.Length)]}"),
        ];
    }

    private static async Task<(List<Sample> Samples, TimeSpan Elapsed, List<string> Memory)> RunPhaseAsync(
        HttpClient client, Kind[] kinds, double rate, TimeSpan duration, int pid, CancellationToken ct)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var samples = new Sample[total];
        var tasks = new Task[total];
        var random = new Random(17);
        var memory = new List<string>();
        using var sampling = new CancellationTokenSource();
        var sampler = pid > 0 ? SampleMemoryAsync(pid, memory, sampling.Token) : Task.CompletedTask;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, ct);
            var kind = i % kinds.Length;
            tasks[i] = SendAsync(client, kinds[kind].Path(random), kind, due, clock, samples, i, ct);
        }
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        return (samples.ToList(), elapsed, memory);
    }

    private static async Task SendAsync(HttpClient client, string path, int kind, TimeSpan due, Stopwatch clock, Sample[] samples, int i,
        CancellationToken ct)
    {
        int status;
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead, ct);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = 0;
        }
        samples[i] = new Sample(kind, (clock.Elapsed - due).TotalMilliseconds, status);
    }

    /// The web process's resident memory every 10 s (from /proc), to show whether it stays flat over a run.
    private static async Task SampleMemoryAsync(int pid, List<string> into, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!ct.IsCancellationRequested)
        {
            var status = await File.ReadAllLinesAsync($"/proc/{pid}/status", CancellationToken.None);
            var rss = status.FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            var mb = long.TryParse(rss, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb / 1024 : -1;
            lock (into) into.Add(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F0}s={mb}MB"));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), ct);
            }
            catch (TaskCanceledException)
            {
                break;
            }
        }
    }

    private static void Report(Kind[] kinds, List<Sample> samples, TimeSpan elapsed, double rate, List<string> memory, string label)
    {
        static string Line(string name, List<Sample> s, TimeSpan elapsed)
        {
            var ok = s.Where(x => x.Status == 200).Select(x => x.LatencyMs).Order().ToArray();
            var all = s.Select(x => x.LatencyMs).Order().ToArray();
            double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(all.Length * q) - 1)];
            return string.Create(CultureInfo.InvariantCulture,
                $"{name,-11} {s.Count,8} {s.Count / elapsed.TotalSeconds,8:F1} {P(0.50),8:F1} {P(0.95),8:F1} {P(0.99),8:F1} {(all.Length == 0 ? 0 : all[^1]),9:F1} {s.Count - ok.Length,7}");
        }
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {rate} req/s scheduled for {elapsed.TotalSeconds:F0} s; latency from each request's scheduled time, ms; errors = not 200 (or no answer)"));
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"",-11} {"requests",8} {"req/s",8} {"p50",8} {"p95",8} {"p99",8} {"max",9} {"errors",7}");
        for (var k = 0; k < kinds.Length; k++)
        {
            sb.AppendLine(Line(kinds[k].Name, samples.Where(s => s.Kind == k).ToList(), elapsed));
        }
        sb.AppendLine(Line("all", samples, elapsed));
        var statuses = samples.Where(s => s.Status != 200).GroupBy(s => s.Status)
            .Select(g => g.Key == 0 ? $"no answer within 60 s or connection error ×{g.Count()}" : $"{g.Key}×{g.Count()}").ToList();
        if (statuses.Count > 0) sb.AppendLine("non-200 answers: " + string.Join(", ", statuses));
        if (memory.Count > 0) sb.AppendLine("web process RSS: " + string.Join(" ", memory));
        Console.Write(sb.ToString());
        var all = samples.Select(x => x.LatencyMs).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT label={label} rate={rate} seconds={elapsed.TotalSeconds:F0} requests={samples.Count} throughput={samples.Count / elapsed.TotalSeconds:F1} p50={all[all.Length / 2]:F1} p95={all[(int)(all.Length * 0.95)]:F1} p99={all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]:F1} max={all[^1]:F1} errors={samples.Count(s => s.Status != 200)} rss_mb={(memory.Count > 0 ? memory[^1].Split('=')[1] : "-")}"));
    }

    /// Signs in through the sign-in form like a browser and returns the Cookie header value for the session.
    private static async Task<string> SignInAsync(HttpClient client, string email, string password, CancellationToken ct)
    {
        var signIn = new Uri("account/sign-in", UriKind.Relative);
        using var form = await client.GetAsync(signIn, ct);
        var html = await form.Content.ReadAsStringAsync(ct);
        var antiforgery = Cookies(form).Single(c => c.StartsWith("proserv.af=", StringComparison.Ordinal));
        var token = AntiforgeryField().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token on the sign-in page.");
        using var request = new HttpRequestMessage(HttpMethod.Post, signIn)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = password,
                ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", antiforgery);
        using var response = await client.SendAsync(request, ct);
        var auth = Cookies(response).FirstOrDefault(c => c.StartsWith("proserv.auth=", StringComparison.Ordinal));
        if (response.StatusCode != HttpStatusCode.Redirect || auth is null)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Sign-in answered {(int)response.StatusCode} without a session cookie (is Auth:SecureCookies=false set for plain HTTP?)."));
        }
        // A session that only reaches the MFA enrolment page would measure redirects, not pages.
        using var home = new HttpRequestMessage(HttpMethod.Get, new Uri("", UriKind.Relative));
        home.Headers.Add("Cookie", auth);
        using var check = await client.SendAsync(home, ct);
        if (check.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Signed in, but the home page answers {(int)check.StatusCode} (to {check.Headers.Location}); is MFA required for the benchmark's role?"));
        }
        return auth;
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
