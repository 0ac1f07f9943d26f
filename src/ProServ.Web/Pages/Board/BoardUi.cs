using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using ProServ.Core.Features.Board;

namespace ProServ.Web.Pages.Board;

/// Small pieces of markup shared by the board's pages.
public static class BoardUi
{
    /// A label chip in its colour; a scoped label shows scope and value apart, as GitLab does.
    public static IHtmlContent Chip(this IHtmlHelper html, LabelDto label)
    {
        var enc = System.Text.Encodings.Web.HtmlEncoder.Default;
        // The colour is validated as #rrggbb on write, so it is safe in a style attribute.
        var color = LabelRules.IsValidColor(label.Color) ? label.Color : LabelRules.DefaultColor;
        var title = label.Description is { Length: > 0 } d ? $" title=\"{enc.Encode(d)}\"" : "";
        if (label.Scope is { } scope)
        {
            var value = label.Name[(scope.Length + 2)..];
            return new HtmlString($"<span class=\"chip chip-scoped\" style=\"--c:{color}\"{title}><span class=\"chip-scope\">{enc.Encode(label.Name[..scope.Length])}</span><span class=\"chip-value\">{enc.Encode(value)}</span></span>");
        }
        return new HtmlString($"<span class=\"chip\" style=\"--c:{color}\"{title}>{enc.Encode(label.Name)}</span>");
    }

    public static string Due(DateOnly? due) => due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// The board page's URL with the same filters, so every filter has a stable address.
    public static string BoardUrl(Guid id, IssueQuery q)
    {
        var qs = q.ToQueryString();
        return qs.Length == 0 ? $"/board/{id}" : $"/board/{id}?{qs}";
    }

    public static string IssuesUrl(IssueQuery q)
    {
        var qs = q.ToQueryString();
        return qs.Length == 0 ? "/board/issues" : $"/board/issues?{qs}";
    }

    /// Splits "a, b" into label names (labels never contain commas).
    public static List<string> Labels(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
