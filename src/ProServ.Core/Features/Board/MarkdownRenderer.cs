using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;

namespace ProServ.Core.Features.Board;

/// Markdown to HTML that is safe to put in a page: Markdig renders, then HtmlSanitizer removes scripts, event handlers,
/// javascript: URLs and anything else outside its allow-list. Renders on write; pages show the stored HTML as is.
public sealed partial class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var s = new HtmlSanitizer();
        s.AllowedAttributes.Add("class");
        s.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" })
        {
            s.AllowedSchemes.Add(scheme);
        }
        s.AllowedTags.Remove("form");
        s.AllowedTags.Remove("input");
        s.AllowedTags.Remove("button");
        s.AllowedTags.Remove("textarea");
        s.AllowedTags.Remove("select");
        s.AllowedCssProperties.Clear();
        s.AllowedAttributes.Remove("style");
        return s;
    }

    public string Render(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : _sanitizer.Sanitize(Markdown.ToHtml(markdown, _pipeline));

    /// The @handles written in a text: the part of a user's e-mail address before the @, as in <c>@ada</c>.
    public static IReadOnlyList<string> Mentions(string? text) =>
        string.IsNullOrEmpty(text)
            ? []
            : MentionPattern().Matches(text).Select(m => m.Groups[1].Value.TrimEnd('.', '-').ToLowerInvariant())
                .Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// Turns known @handles into links to that person's issues, before rendering.
    public static string LinkMentions(string text, IReadOnlyDictionary<string, Guid> known) =>
        known.Count == 0
            ? text
            : MentionPattern().Replace(text, m =>
            {
                var handle = m.Groups[1].Value.TrimEnd('.', '-');
                var rest = m.Groups[1].Value[handle.Length..];
                return known.TryGetValue(handle.ToLowerInvariant(), out var id)
                    ? $"[@{handle}](/board/issues?assignee={id}){{.mention}}{rest}"
                    : m.Value;
            });

    [GeneratedRegex(@"(?<![\p{L}\p{N}_.@/\[])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})")]
    private static partial Regex MentionPattern();
}
