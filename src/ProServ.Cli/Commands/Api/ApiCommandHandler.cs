using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ProServ.Cli.Commands.Api;

/// <summary>
/// Sends one request to the ProServ REST API and prints the answer: JSON (pretty-printed) on
/// <paramref name="output"/> with exit 0, or a refusal (RFC 9457 problem details) on
/// <paramref name="error"/> with its status, rule and field errors and exit 1.
/// </summary>
/// <param name="output">Where the answer goes.</param>
/// <param name="error">Where refusals and errors go.</param>
/// <param name="input">Read for <c>--data @-</c>.</param>
/// <param name="environment">Reads PROSERV_URL and PROSERV_TOKEN.</param>
/// <param name="httpHandler">Makes the handler the request is sent through (disposed afterwards).</param>
public sealed class ApiCommandHandler(TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment, Func<HttpMessageHandler> httpHandler)
{
    public const string DefaultUrl = "http://localhost:5080";

    public async Task<int> HandleAsync(ApiCommandArgs args, CancellationToken ct)
    {
        try
        {
            var baseUrl = new Uri((args.Url ?? environment("PROSERV_URL") ?? DefaultUrl).TrimEnd('/') + "/");
            var token = args.TokenFile is { } tf ? (await File.ReadAllTextAsync(tf, ct)).Trim() : environment("PROSERV_TOKEN");
            var body = args.Data is { } d ? await ReadBodyAsync(d, ct) : null;
            using var request = new HttpRequestMessage(new HttpMethod(args.Method ?? (body is null ? "GET" : "POST")), new Uri(baseUrl, RelativePath(args.Path)));
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
            using var http = new HttpClient(httpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromMinutes(5) };
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var json = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true;
            if (response.IsSuccessStatusCode)
            {
                if (text.Length > 0)
                {
                    await output.WriteLineAsync(json ? ApiResponseText.Pretty(text) : text);
                }
                return 0;
            }
            await error.WriteLineAsync(ApiResponseText.Describe(response, text, json, string.IsNullOrEmpty(token)));
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UriFormatException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return 1;
        }
        catch (JsonException e)
        {
            await error.WriteLineAsync("error: --data is not JSON: " + e.Message);
            return 1;
        }
    }

    /// <summary>"customers" and "/customers" mean /api/v1/customers; paths already under /api/, /healthz or /openapi stay.</summary>
    public static string RelativePath(string path)
    {
        var p = path.Trim().TrimStart('/');
        return p.StartsWith("api/", StringComparison.Ordinal) || p.StartsWith("healthz", StringComparison.Ordinal) || p.StartsWith("openapi/", StringComparison.Ordinal)
            ? p : "api/v1/" + p;
    }

    private async Task<string> ReadBodyAsync(string data, CancellationToken ct)
    {
        var text = data == "@-" ? await input.ReadToEndAsync(ct)
            : data.StartsWith('@') ? await File.ReadAllTextAsync(data[1..], ct)
            : data;
        using (JsonDocument.Parse(text))
        {
            // Refused here rather than by the server, so the message can say it was --data that was wrong.
        }
        return text;
    }
}
