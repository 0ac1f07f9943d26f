using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ProServ.Cli.Commands.Api;

/// <summary>
/// `proserv api PATH`: calls the ProServ REST API with an API token and prints the JSON answer, so
/// everything the API does can be scripted from a shell (as `gh api` and `glab api` do for their
/// products). Refusals (RFC 9457 problem details) go to stderr with their rule and field errors.
/// </summary>
public static class ApiCommand
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <param name="handler">Tests: the HTTP handler to send through (default: a plain socket handler).</param>
    public static Command Create(Func<HttpMessageHandler>? handler = null)
    {
        var path = new Argument<string>("PATH") { Description = "API path, e.g. customers?search=acme or /api/v1/engagements (the /api/v1/ prefix may be left out)" };
        var method = new Option<string?>("--method", "-X") { Description = "HTTP method (default GET, or POST with --data)" };
        method.AcceptOnlyFromAmong("GET", "POST", "PUT", "PATCH", "DELETE");
        var data = new Option<string?>("--data", "-d") { Description = "JSON request body; @FILE reads it from a file, @- from standard input" };
        var url = new Option<string?>("--url") { Description = $"ProServ's address (default $PROSERV_URL, else {DefaultUrl})" };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the API token (default $PROSERV_TOKEN); create tokens under Tokens in the web app" };
        var cmd = new Command("api", "Call the ProServ REST API and print its JSON answer") { path, method, data, url, tokenFile };
        cmd.SetAction(async (pr, ct) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var err = pr.InvocationConfiguration.Error;
            try
            {
                var baseUrl = new Uri((pr.GetValue(url) ?? Environment.GetEnvironmentVariable("PROSERV_URL") ?? DefaultUrl).TrimEnd('/') + "/");
                var token = pr.GetValue(tokenFile) is { } tf ? (await File.ReadAllTextAsync(tf, ct)).Trim() : Environment.GetEnvironmentVariable("PROSERV_TOKEN");
                var body = pr.GetValue(data) is { } d ? await ReadBodyAsync(d, ct) : null;
                using var request = new HttpRequestMessage(new HttpMethod(pr.GetValue(method) ?? (body is null ? "GET" : "POST")), new Uri(baseUrl, RelativePath(pr.GetValue(path)!)));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
                if (!string.IsNullOrEmpty(token))
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }
                using var http = new HttpClient(handler?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromMinutes(5) };
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                var json = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true;
                if (response.IsSuccessStatusCode)
                {
                    if (text.Length > 0)
                    {
                        await output.WriteLineAsync(json ? Pretty(text) : text);
                    }
                    return 0;
                }
                await err.WriteLineAsync(Describe(response, text, json, string.IsNullOrEmpty(token)));
                return 1;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or UriFormatException or UnauthorizedAccessException)
            {
                await err.WriteLineAsync("error: " + e.Message);
                return 1;
            }
            catch (JsonException e)
            {
                await err.WriteLineAsync("error: --data is not JSON: " + e.Message);
                return 1;
            }
        });
        return cmd;
    }

    /// <summary>"customers" and "/customers" mean /api/v1/customers; paths already under /api/, /healthz or /openapi stay.</summary>
    public static string RelativePath(string path)
    {
        var p = path.Trim().TrimStart('/');
        return p.StartsWith("api/", StringComparison.Ordinal) || p.StartsWith("healthz", StringComparison.Ordinal) || p.StartsWith("openapi/", StringComparison.Ordinal)
            ? p : "api/v1/" + p;
    }

    private static async Task<string> ReadBodyAsync(string data, CancellationToken ct)
    {
        var text = data == "@-" ? await Console.In.ReadToEndAsync(ct)
            : data.StartsWith('@') ? await File.ReadAllTextAsync(data[1..], ct)
            : data;
        using (JsonDocument.Parse(text))
        {
            // Valid JSON: sent as written.
        }
        return text;
    }

    private static string Pretty(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                doc.WriteTo(w);
            }
            return Encoding.UTF8.GetString(ms.ToArray());
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>One line for the status and problem title, then the explanation, the rule and each field's errors.</summary>
    private static string Describe(HttpResponseMessage response, string text, bool json, bool noToken)
    {
        var sb = new StringBuilder();
        sb.Append("error: ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase);
        if (json && text.Length > 0)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
                    {
                        sb.Append(": ").Append(title.GetString());
                    }
                    if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                    {
                        sb.Append('\n').Append(detail.GetString());
                    }
                    if (root.TryGetProperty("rule", out var rule) && rule.ValueKind == JsonValueKind.String)
                    {
                        sb.Append("\nrule: ").Append(rule.GetString());
                    }
                    if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var field in errors.EnumerateObject())
                        {
                            foreach (var message in field.Value.EnumerateArray())
                            {
                                sb.Append('\n').Append(field.Name).Append(": ").Append(message.GetString());
                            }
                        }
                    }
                }
            }
            catch (JsonException)
            {
                sb.Append('\n').Append(text);
            }
        }
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && noToken)
        {
            sb.Append("\nno API token: set PROSERV_TOKEN or pass --token-file (create one under Tokens in the web app)");
        }
        return sb.ToString();
    }
}
