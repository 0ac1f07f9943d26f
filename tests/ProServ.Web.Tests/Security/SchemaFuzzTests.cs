using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProServ.Web.Tests.Features.SowRequests;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Security;

/// Bad input never answers 500. Reads the running app's OpenAPI document and, for every POST, PUT and PATCH operation,
/// builds a plausible body from its schema and sends seeded mutations of it (nulls in every position, nulls inside
/// arrays, wrong types, empty and 1 MB strings, deep nesting, unknown enum values, huge numbers, bodies that are not
/// JSON) as an administrator, with real ids in the path where the operation names a kind of thing the test created.
/// Any 5xx fails the test, listing the operation and the mutation. New operations are covered without doing anything.
public abstract class SchemaFuzzTests<TApp>(TApp app) where TApp : AppFactory
{
    private const int Seed = 20261201;
    private const int PositionMutationsPerOperation = 16;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TApp App { get; } = app;

    private JsonNode _doc = null!;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private int _unique;
    private HttpClient _director = null!;

    [Fact]
    public async Task EveryWriteOperation_NeverAnswers5xx_ToMalformedBodies()
    {
        var admin = await App.AdminAsync();
        _doc = JsonNode.Parse(await (await App.Anonymous().GetAsync("/openapi/v1.json", Ct)).Content.ReadAsStringAsync(Ct))!;
        await CreateTargetsAsync(admin);

        var failures = new List<string>();
        var operations = 0;
        var sent = 0;
        var reachedHandlers = 0;
        foreach (var (path, item) in _doc["paths"]!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var method in new[] { "post", "put", "patch" })
            {
                if (item![method] is not JsonObject op) continue;
                operations++;
                var name = $"{method.ToUpperInvariant()} {path}";
                var url = Url(path, op);
                var schema = op["requestBody"]?["content"]?["application/json"]?["schema"];
                var body = schema is null ? new JsonObject() : Sample(schema, "", 0) ?? new JsonObject();
                var rng = new Random(Seed ^ StableHash(name));
                // Operations that only another role may call (approving a discount) are fuzzed as that role.
                var client = admin;
                foreach (var (label, text) in Mutations(body, rng))
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url)
                    {
                        Content = new StringContent(text, Encoding.UTF8, "application/json"),
                    };
                    var response = await client.SendAsync(request, Ct);
                    if (response.StatusCode == HttpStatusCode.Forbidden && client == admin)
                    {
                        client = _director;
                        response.Dispose();
                        using var again = new HttpRequestMessage(request.Method, url) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
                        response = await client.SendAsync(again, Ct);
                    }
                    using var _ = response;
                    sent++;
                    var status = (int)response.StatusCode;
                    if (status >= 500)
                    {
                        var answer = await response.Content.ReadAsStringAsync(Ct);
                        failures.Add($"{name} [{label}] -> {status} {answer[..Math.Min(300, answer.Length)]} (body: {text[..Math.Min(200, text.Length)]})");
                    }
                    else if (status is not (401 or 403 or 404 or 405 or 415))
                    {
                        reachedHandlers++;
                    }
                }
            }
        }

        // The test must not pass by being locked out or by finding nothing to send.
        Assert.True(operations >= 30, $"only {operations} write operations found in the OpenAPI document");
        Assert.True(reachedHandlers > sent / 2, $"only {reachedHandlers} of {sent} requests were answered by the operations themselves");
        (await admin.GetAsync("/api/v1/me", Ct)).EnsureSuccessStatusCode();
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests answered 5xx:\n" + string.Join("\n", failures.Take(60)));
    }

    /// The things the path ids point at, so mutations reach the services rather than stopping at 404.
    private async Task CreateTargetsAsync(HttpClient admin)
    {
        var customer = await App.CustomerAsync();
        var engagement = await admin.EngagementViaRequestAsync(customer, ["migration-services"]);
        var package = await admin.PackageAsync("migration-services");
        var issue = await (await admin.PostAsJsonAsync("/api/v1/issues", new { title = "Fuzz target", customerId = customer }, Ct)).JsonAsync(HttpStatusCode.Created);
        var board = await (await admin.PostAsJsonAsync("/api/v1/boards", new { name = "Fuzz board", columns = new[] { "fuzz-doing" } }, Ct)).JsonAsync(HttpStatusCode.Created);
        var label = await (await admin.PostAsJsonAsync("/api/v1/labels", new { name = "fuzz-label", color = "#336699" }, Ct)).JsonAsync(HttpStatusCode.Created);
        var quote = await (await admin.PostQuoteAsync(engagement, new
        {
            currency = "USD",
            validUntil = SowApi.ValidUntil,
            lines = new object[] { new { packageId = package.Id, quantity = 1, unitPrice = package.Low } },
        })).JsonAsync(HttpStatusCode.Created);
        // A user of its own, so that mutations of PATCH /users/{id} never touch the administrator the test signs in as.
        var (user, _, _) = await App.UserAsync(["ps-engineer"]);
        (_, _, _director) = await App.UserAsync(["director-customer-success"]);

        _ids["customers"] = customer.ToString();
        _ids["engagements"] = engagement.ToString();
        _ids["issues"] = issue.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        _ids["boards"] = board.Id().ToString();
        _ids["labels"] = label.Id().ToString();
        _ids["quotes"] = quote.Id().ToString();
        _ids["users"] = user.ToString();
        _ids["offerings"] = (await admin.OfferingAsync("migration-services")).ToString();
        _ids["packages"] = package.Id.ToString();
        _ids["customerId"] = customer.ToString();
        _ids["engagementId"] = engagement.ToString();
        _ids["offeringId"] = _ids["offerings"];
        _ids["packageId"] = _ids["packages"];
        _ids["userId"] = user.ToString();
    }

    private string Url(string path, JsonObject op)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{')) continue;
            var param = segments[i].Trim('{', '}');
            var owner = i > 0 ? segments[i - 1] : "";
            string value;
            if (param == "id" && _ids.TryGetValue(owner, out var byOwner)) value = byOwner;
            else if (_ids.TryGetValue(param, out var byName)) value = byName;
            else if (param == "idOrSlug") value = _ids["offerings"];
            else if (param == "slug") value = "fuzz-template";
            else
            {
                var type = Types(Resolve(op["parameters"]?.AsArray().FirstOrDefault(p => p?["name"]?.GetValue<string>() == param)?["schema"]));
                value = type.Contains("integer") ? "1" : Guid.NewGuid().ToString();
            }
            segments[i] = value;
        }
        return "/" + string.Join('/', segments);
    }

    private JsonNode? Resolve(JsonNode? schema)
    {
        for (var hops = 0; hops < 10 && schema?["$ref"] is JsonValue r; hops++)
        {
            var name = r.GetValue<string>().Split('/')[^1];
            schema = _doc["components"]?["schemas"]?[name];
        }
        return schema;
    }

    private static string[] Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue v => [v.GetValue<string>()],
        JsonArray a => [.. a.Select(t => t!.GetValue<string>())],
        _ => [],
    };

    /// A plausible value for the schema: every property set, ids of the things the test made, dates as dates.
    private JsonNode? Sample(JsonNode? raw, string name, int depth)
    {
        var schema = Resolve(raw);
        if (schema is null || depth > 6) return null;
        if (schema["enum"] is JsonArray e && e.FirstOrDefault(x => x is not null) is { } first) return first.DeepClone();
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema[combinator] is JsonArray alternatives
                && alternatives.Select(a => Resolve(a)).FirstOrDefault(a => a is not null && !Types(a).SequenceEqual(["null"])) is { } alt)
            {
                return Sample(alt, name, depth);
            }
        }
        var types = Types(schema).Where(t => t != "null").ToArray();
        var type = types.FirstOrDefault(t => t != "string") ?? types.FirstOrDefault()
                   ?? (schema["properties"] is not null ? "object" : schema["items"] is not null ? "array" : "string");
        switch (type)
        {
            case "object":
                var o = new JsonObject();
                if (schema["properties"] is JsonObject props)
                {
                    foreach (var (key, value) in props)
                    {
                        o[key] = Sample(value, key, depth + 1);
                    }
                }
                return o;
            case "array":
                return new JsonArray(Sample(schema["items"], name.TrimEnd('s'), depth + 1));
            case "integer":
                return JsonValue.Create(1);
            case "number":
                return JsonValue.Create(10.5m);
            case "boolean":
                return JsonValue.Create(false);
            default:
                return JsonValue.Create(SampleString(schema["format"]?.GetValue<string>(), name));
        }
    }

    private string SampleString(string? format, string name)
    {
        var n = name.ToLowerInvariant();
        if (format == "uuid" || n.EndsWith("id", StringComparison.Ordinal) || n.EndsWith("ids", StringComparison.Ordinal))
        {
            var key = name.EndsWith("Ids", StringComparison.Ordinal) ? name[..^1] : name;
            return _ids.TryGetValue(key, out var id) ? id : n.Contains("assignee", StringComparison.Ordinal) || n.Contains("owner", StringComparison.Ordinal)
                ? _ids["userId"] : Guid.NewGuid().ToString();
        }
        if (format == "date" || n.EndsWith("on", StringComparison.Ordinal) || n.Contains("until", StringComparison.Ordinal) || n.Contains("date", StringComparison.Ordinal))
            return "2027-01-15";
        if (format == "date-time" || n is "start" or "end") return "2027-01-15T09:00:00Z";
        return n switch
        {
            "email" => $"fuzz-{Interlocked.Increment(ref _unique)}@proserv.test",
            "password" => "a long enough passphrase",
            "currency" => "USD",
            "tier" => "premium",
            "color" => "#336699",
            "unit" => "fixed",
            "to" => "scoping",
            "role" or "roles" => "ps-engineer",
            _ => $"fuzz {name} {Interlocked.Increment(ref _unique)}",
        };
    }

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "79228162514264337593543950336", "99999999999999999999999999999999999999", "2147483648", "-2147483649",
        "9223372036854775808", "1.7976931348623157e308", "-1", "0", "0.0000000000000000000000000001", "1e-400",
    ];

    /// The base body, then mutations of it, each labelled with what was done where; bounded and deterministic.
    private static IEnumerable<(string Label, string Body)> Mutations(JsonNode body, Random rng)
    {
        yield return ("as sampled", body.ToJsonString());
        var positions = Positions(body, []).ToList();
        var all = new List<(string, string)>();
        foreach (var (path, node) in positions)
        {
            var at = string.Join('.', path);
            all.Add(($"null at {at}", Replace(body, path, null)));
            all.Add(($"wrong type at {at}", Replace(body, path, WrongType(node, rng))));
            switch (node)
            {
                case JsonArray:
                    all.Add(($"null inside {at}", Mutate(body, path, n => n!.AsArray().Add(null))));
                    all.Add(($"only nulls in {at}", Replace(body, path, new JsonArray(null, null))));
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    all.Add(($"empty string at {at}", Replace(body, path, JsonValue.Create(""))));
                    all.Add(($"1 MB string at {at}", Replace(body, path, JsonValue.Create(new string('x', 1024 * 1024)))));
                    all.Add(($"unknown value at {at}", Replace(body, path, JsonValue.Create("no-such-value-" + rng.Next(1000)))));
                    all.Add(($"control characters at {at}", Replace(body, path, JsonValue.Create("\u0000\u202e<script>alert(1)</script>"))));
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                    var huge = HugeNumbers[rng.Next(HugeNumbers.Length)];
                    all.Add(($"number {huge} at {at}", Raw(body, path, huge)));
                    all.Add(($"number 1e400 at {at}", Raw(body, path, "1e400")));
                    break;
            }
            all.Add(($"deep nesting at {at}", Raw(body, path, new string('[', 300) + new string(']', 300))));
        }
        // Every kind of mutation gets its turn before any kind gets a second one.
        var byKind = all.GroupBy(m => Kind(m.Item1)).Select(g => new Queue<(string, string)>(g.OrderBy(_ => rng.Next()))).ToList();
        for (var taken = 0; taken < PositionMutationsPerOperation && byKind.Any(k => k.Count > 0);)
        {
            foreach (var q in byKind.Where(k => k.Count > 0))
            {
                if (taken++ >= PositionMutationsPerOperation) break;
                yield return q.Dequeue();
            }
        }
        yield return ("null body", "null");
        yield return ("array body", "[]");
        yield return ("array nested 1000 deep as the body", new string('[', 1000) + new string(']', 1000));
        yield return ("number body", "1e400");
        yield return ("truncated JSON", body.ToJsonString() is { Length: > 2 } s ? s[..(s.Length / 2)] : "{");
        yield return ("every property null", body is JsonObject o ? new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)null))).ToJsonString() : "{}");
        yield return ("unknown properties", body is JsonObject u ? WithExtra(u) : "{\"unknown\":1}");
        yield return ("not JSON", "<xml/>");
    }

    private static string Kind(string label) => label.Split(" at ")[0].Split(" inside ")[0].Split(" in ")[0];

    private static string WithExtra(JsonObject o)
    {
        var copy = o.DeepClone().AsObject();
        copy["$type"] = "System.Object";
        copy["__proto__"] = new JsonObject { ["admin"] = true };
        return copy.ToJsonString();
    }

    private static JsonNode WrongType(JsonNode? node, Random rng)
    {
        JsonNode[] candidates = node switch
        {
            JsonObject => [new JsonArray(1), JsonValue.Create("text"), JsonValue.Create(7)],
            JsonArray => [new JsonObject { ["a"] = 1 }, JsonValue.Create("text"), JsonValue.Create(true)],
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [JsonValue.Create(12345), new JsonObject(), new JsonArray("x"), JsonValue.Create(true)],
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => [JsonValue.Create("abc"), new JsonObject(), JsonValue.Create(true)],
            _ => [JsonValue.Create("yes"), JsonValue.Create(2), new JsonArray()],
        };
        return candidates[rng.Next(candidates.Length)];
    }

    /// Every position in the body, as the path of property names and indexes that leads to it.
    private static IEnumerable<(object[] Path, JsonNode? Node)> Positions(JsonNode? node, object[] path)
    {
        if (path.Length > 0) yield return (path, node);
        if (path.Length > 8) yield break;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    foreach (var p in Positions(value, [.. path, key])) yield return p;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var p in Positions(a[i], [.. path, i])) yield return p;
                }
                break;
        }
    }

    private static string Replace(JsonNode body, object[] path, JsonNode? value) => Mutate(body, path, null, value, replace: true);

    private static string Mutate(JsonNode body, object[] path, Action<JsonNode?> change) => Mutate(body, path, change, null, replace: false);

    private static string Mutate(JsonNode body, object[] path, Action<JsonNode?>? change, JsonNode? value, bool replace)
    {
        var copy = body.DeepClone();
        var parent = copy;
        foreach (var step in path[..^1]) parent = step is int i ? parent[i]! : parent[(string)step]!;
        var last = path[^1];
        if (replace)
        {
            if (last is int i) parent[i] = value?.DeepClone();
            else parent[(string)last] = value?.DeepClone();
        }
        else
        {
            change!(last is int i ? parent[i] : parent[(string)last]);
        }
        return copy.ToJsonString();
    }

    /// Puts text that JsonNode cannot hold (1e400, 300 brackets) at the position, by way of a marker string.
    private static string Raw(JsonNode body, object[] path, string raw)
    {
        const string Marker = "__fuzz_raw_marker__";
        return Replace(body, path, JsonValue.Create(Marker)).Replace($"\"{Marker}\"", raw, StringComparison.Ordinal);
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s) h = unchecked(h * 31 + c);
        return h & 0x7fffffff;
    }
}

public sealed class SqliteSchemaFuzzTests(SqliteApp app) : SchemaFuzzTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresSchemaFuzzTests(PostgresApp app) : SchemaFuzzTests<PostgresApp>(app), IClassFixture<PostgresApp>;
