using System.Globalization;
using System.Text.Json;
using ProServ.Core.Common;
using ProServ.Core.Features.SowRequests;

namespace ProServ.Web.Infrastructure;

/// Reads the loosely shaped parts of SOW request bodies (free text that may come as a string, a list or an object)
/// so that clients need not guess one exact shape; the Core service then judges the content.
internal static class JsonInput
{
    public static string? Text(JsonElement? e)
    {
        if (e is not { } v) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            JsonValueKind.Array => string.Join("\n", v.EnumerateArray().Select(x => Text(x)).Where(x => !string.IsNullOrWhiteSpace(x))),
            JsonValueKind.Object => string.Join("\n", v.EnumerateObject().Select(p => $"{p.Name}: {Text(p.Value)}")),
            _ => null,
        };
    }

    private static readonly string[] Vcs = ["vcs", "versionControl", "scm", "sourceControl", "vcsInUse", "git"];
    private static readonly string[] Ci = ["ci", "cicd", "ciCd", "ciSystem", "ciInUse", "ciTool"];
    private static readonly string[] Auth = ["authentication", "auth", "authenticationSystems", "authSystems", "authenticationSystem", "sso", "identityProvider"];
    private static readonly string[] Users = ["users", "numberOfUsers", "userCount", "usersCount", "seats"];
    private static readonly string[] Notes = ["notes", "description", "summary", "other"];

    public static SowEnvironmentInput? Environment(JsonElement? e)
    {
        if (e is not { } v || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        if (v.ValueKind != JsonValueKind.Object)
        {
            return new SowEnvironmentInput(null, null, null, null, Text(v));
        }
        string? Pick(string[] names) => v.EnumerateObject()
            .Where(p => names.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).Select(p => Text(p.Value)).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
        var known = Vcs.Concat(Ci).Concat(Auth).Concat(Users).Concat(Notes).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var extra = v.EnumerateObject().Where(p => !known.Contains(p.Name)).Select(p => $"{p.Name}: {Text(p.Value)}").ToList();
        var notes = string.Join("\n", new[] { Pick(Notes) }.Concat(extra).Where(x => !string.IsNullOrWhiteSpace(x)));
        return new SowEnvironmentInput(Pick(Vcs), Pick(Ci), Pick(Auth), Pick(Users), notes.Length == 0 ? null : notes);
    }

    public static IReadOnlyList<SowContact>? Contacts(JsonElement? e)
    {
        if (e is not { } v || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        var items = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v];
        return items.Select(Contact).Where(c => c is not null).Select(c => c!).ToList();
    }

    private static SowContact? Contact(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.String)
        {
            var s = v.GetString()?.Trim() ?? "";
            if (s.Length == 0) return null;
            var lt = s.IndexOf('<', StringComparison.Ordinal);
            var gt = s.IndexOf('>', StringComparison.Ordinal);
            if (lt >= 0 && gt > lt) return new SowContact(s[..lt].Trim(), s[(lt + 1)..gt].Trim(), null);
            return s.Contains('@', StringComparison.Ordinal) && !s.Contains(' ', StringComparison.Ordinal)
                ? new SowContact(null, s, null) : new SowContact(s, null, null);
        }
        if (v.ValueKind != JsonValueKind.Object) return null;
        string? Get(params string[] names) => v.EnumerateObject()
            .Where(p => names.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).Select(p => Text(p.Value)).FirstOrDefault();
        return new SowContact(Get("name", "fullName"), Get("email", "mail", "emailAddress"), Get("role", "title", "position"));
    }

    /// Dates as "2026-12-31" (or a full ISO date-time, whose date is taken); anything else is a field error.
    public static DateOnly? Date(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt))
            return DateOnly.FromDateTime(dt.UtcDateTime);
        errors.Add(field, "Write the date as YYYY-MM-DD.");
        return null;
    }
}
