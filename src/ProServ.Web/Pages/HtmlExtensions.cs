using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace ProServ.Web.Pages;

public static class HtmlExtensions
{
    /// The messages for one field, next to its label; nothing when the field is fine.
    public static IHtmlContent FieldError(this IHtmlHelper html, string key)
    {
        if (!html.ViewContext.ModelState.TryGetValue(key, out var entry) || entry.Errors.Count == 0)
        {
            return HtmlString.Empty;
        }
        var id = html.GenerateIdFromName(key) + "-error";
        var text = string.Join(" ", entry.Errors.Select(e => e.ErrorMessage));
        return new HtmlString($"<span class=\"field-error\" id=\"{id}\">{HtmlEncoder.Default.Encode(text)}</span>");
    }

    public static bool HasError(this IHtmlHelper html, string key) =>
        html.ViewContext.ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0;

    /// Attributes that mark an input invalid and point it at its message.
    public static IHtmlContent Invalid(this IHtmlHelper html, string key) =>
        html.HasError(key)
            ? new HtmlString($"aria-invalid=\"true\" aria-describedby=\"{html.GenerateIdFromName(key)}-error\" class=\"input-validation-error\"")
            : HtmlString.Empty;
}
