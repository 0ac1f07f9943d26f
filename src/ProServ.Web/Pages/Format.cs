using System.Globalization;

namespace ProServ.Web.Pages;

/// How the UI writes dates, numbers and money: always invariant, always UTC, so every reader sees the same thing.
public static class Format
{
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset? value, string none = "—") => value is { } v ? Date(v) : none;

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Money(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Rom(decimal low, decimal high, string currency) =>
        low == high ? $"{Money(low)} {currency}" : $"{Money(low)}–{Money(high)} {currency}";

    /// "active/licensed (NN%)", or just the active count when no seats are licensed.
    public static string Utilisation(int active, int licensed, decimal? ratio) =>
        ratio is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"{active}/{licensed} ({Math.Round(r * 100, 0, MidpointRounding.AwayFromZero):0}%)")
            : string.Create(CultureInfo.InvariantCulture, $"{active}/{licensed} (no seats)");

    /// "in-delivery" → "In delivery".
    public static string Label(string slug)
    {
        var words = slug.Replace('-', ' ').Replace("sow ", "SOW ", StringComparison.Ordinal);
        return words.Length == 0 ? words : string.Concat(char.ToUpperInvariant(words[0]).ToString(), words[1..]);
    }

    /// A readable line for an audit event's data: "requested → scoping" for a move, else the changed values.
    public static string? Change(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object) return json;
            if (root.TryGetProperty("from", out var from) && root.TryGetProperty("to", out var to)
                && from.ValueKind == System.Text.Json.JsonValueKind.String && to.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                return $"{from.GetString()} → {to.GetString()}";
            }
            var lines = new List<string>();
            foreach (var p in root.EnumerateObject())
            {
                if (p.Value.ValueKind == System.Text.Json.JsonValueKind.Null) continue;
                if (p.Value.ValueKind == System.Text.Json.JsonValueKind.Object
                    && p.Value.TryGetProperty("from", out var f) && p.Value.TryGetProperty("to", out var t))
                {
                    lines.Add($"{p.Name}: {Raw(f)} → {Raw(t)}");
                }
                else
                {
                    lines.Add($"{p.Name}: {Raw(p.Value)}");
                }
            }
            return lines.Count == 0 ? null : string.Join('\n', lines);
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }

    private static string Raw(System.Text.Json.JsonElement e) =>
        e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText();

    /// Where a person can look at the entity an audit event is about, when the UI has a page for it.
    public static string? EntityLink(string entityType, string entityId) => entityType switch
    {
        "customer" => $"/customers/{entityId}",
        "engagement" => $"/engagements/{entityId}",
        "user" => $"/admin/users/{entityId}",
        "offering" => $"/catalog/{entityId}/edit",
        _ => null,
    };
}
