using System.Text;
using System.Text.Json;

namespace ProServ.Cli.Commands.Api;

/// <summary>How `proserv api` prints what the server answered.</summary>
internal static class ApiResponseText
{
    /// <summary>Indented, with non-ASCII text as written (a shell shows it; \u escapes help nobody reading).</summary>
    public static string Pretty(string json)
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
    public static string Describe(HttpResponseMessage response, string text, bool json, bool noToken)
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
