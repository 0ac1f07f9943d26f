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
}
