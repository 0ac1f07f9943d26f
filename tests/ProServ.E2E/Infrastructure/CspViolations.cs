using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Playwright;
using Xunit.v3;

[assembly: ProServ.E2E.Infrastructure.FailOnCspViolation]

namespace ProServ.E2E.Infrastructure;

/// <summary>
/// Collects Content-Security-Policy violations from every browser context a test opens (through
/// <see cref="ProServAppFixture.NewPageAsync()"/>): the page's <c>securitypolicyviolation</c> events and Chromium's
/// "Refused to … Content Security Policy" console messages. <see cref="FailOnCspViolationAttribute"/> fails the
/// test when any arrived, so a page that needs an inline script, style element or event handler cannot slip in.
/// </summary>
public static class CspViolations
{
    private const string BindingName = "__proservCspViolation";

    // Runs before any page script, in every frame; Playwright's bindings are not subject to the page's CSP.
    private const string InitScript = """
        document.addEventListener('securitypolicyviolation', function (e) {
          var where = e.sourceFile ? ' (' + e.sourceFile + ':' + e.lineNumber + ')' : '';
          window.__proservCspViolation(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') +
            ' on ' + e.documentURI + where + (e.sample ? ': ' + e.sample : ''));
        }, true);
        """;

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> ByTest = new();

    // Known and harmless, so not failures: the Scalar bundle's zod probes once whether it may compile validators
    // with Function(''), catches the refusal and validates without. The page works; 'unsafe-eval' stays forbidden.
    private static readonly string[] Tolerated =
    [
        "script-src blocked eval on {origin}/api/reference/ ({origin}/api/reference/scalar.js:",
    ];

    /// <summary>Starts collecting for the current test; call before the context opens its first page.</summary>
    public static async Task WatchAsync(IBrowserContext context)
    {
        // Events arrive on Playwright's connection, outside the test's async context: bind the test now.
        var found = ByTest.GetOrAdd(CurrentTestId(), _ => new ConcurrentQueue<string>());
        await context.ExposeFunctionAsync(BindingName, (string violation) =>
        {
            if (!IsTolerated(violation))
            {
                found.Enqueue(violation);
            }
        });
        await context.AddInitScriptAsync(InitScript);
        context.Console += (_, message) =>
        {
            // Chromium also logs each refusal, including any the event misses (e.g. in a frame the init script
            // does not reach). Eval refusals are left to the event, which can tell the tolerated probe apart.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                && !message.Text.Contains("'unsafe-eval'", StringComparison.Ordinal))
            {
                found.Enqueue($"console {message.Type}: {message.Text} ({message.Location})");
            }
        };
    }

    /// <summary>
    /// The violations seen so far in the current test, which then no longer fail it: for a test that provokes
    /// one on purpose.
    /// </summary>
    public static IReadOnlyList<string> Take()
    {
        var taken = new List<string>();
        if (ByTest.TryGetValue(CurrentTestId(), out var found))
        {
            while (found.TryDequeue(out var v))
            {
                taken.Add(v);
            }
        }
        return taken;
    }

    private static bool IsTolerated(string violation)
    {
        var origin = OriginOf(violation);
        return origin is not null && Tolerated.Any(t =>
            violation.StartsWith(t.Replace("{origin}", origin, StringComparison.Ordinal), StringComparison.Ordinal));
    }

    private static string? OriginOf(string violation)
    {
        var at = violation.IndexOf(" on ", StringComparison.Ordinal);
        return at >= 0 && Uri.TryCreate(violation[(at + 4)..].Split(' ')[0], UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
    }

    internal static IReadOnlyList<string> Remove(string testId) =>
        ByTest.TryRemove(testId, out var found) ? [.. found] : [];

    private static string CurrentTestId() =>
        TestContext.Current.Test?.UniqueID
        ?? throw new InvalidOperationException("Browser contexts are opened from a running test.");
}

/// <summary>Fails a test in whose browser pages the Content-Security-Policy blocked anything.</summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
public sealed class FailOnCspViolationAttribute : BeforeAfterTestAttribute
{
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        var violations = CspViolations.Remove(test.UniqueID);
        if (violations.Count > 0)
        {
            throw new InvalidOperationException(
                $"The Content-Security-Policy blocked {violations.Count} thing(s) in the browser:{Environment.NewLine}" +
                string.Join(Environment.NewLine, violations.Distinct(StringComparer.Ordinal)));
        }
    }
}
