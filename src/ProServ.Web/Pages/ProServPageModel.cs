using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ProServ.Core.Common;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages;

/// A refusal by a business rule or a state conflict, shown in place above the form.
public sealed record Refusal(string Title, string Message, string? Rule);

/// Base of every page: turns the domain's exceptions into what a person should see, in one place,
/// so the pages call the services and never re-implement their rules.
public abstract class ProServPageModel : PageModel
{
    /// Set when a service refused the action; rendered by the _Errors partial.
    public Refusal? Refusal { get; set; }

    /// Prefix of the bound input model, so "name" from a service becomes "Input.Name" in ModelState.
    protected string InputPrefix { get; set; } = "Input";

    protected Actor Actor => User.ToActor();

    /// A one-line confirmation shown on the next page after a redirect.
    protected void Flash(string message) => TempData["Flash"] = message;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is null || executed.ExceptionHandled)
        {
            return;
        }
        switch (executed.Exception)
        {
            case NotFoundException:
                // A page, not a problem document: people land here from stale links.
                var notFound = Partial("_NotFound");
                notFound.StatusCode = StatusCodes.Status404NotFound;
                executed.Result = notFound;
                break;
            case ForbiddenException:
                executed.Result = Forbid();
                break;
            case ValidationFailedException v:
                AddErrors(v, InputPrefix);
                executed.Result = await OnRefusedAsync();
                break;
            case RuleViolationException r:
                Refusal = new Refusal($"Refused by rule {r.Rule}", r.Message, r.Rule);
                executed.Result = await OnRefusedAsync();
                break;
            case ConflictException c:
                Refusal = new Refusal(c.Title, c.Message, c.Rule);
                executed.Result = await OnRefusedAsync();
                break;
            default:
                return;
        }
        executed.ExceptionHandled = true;
    }

    /// Reloads whatever the page needs to show the form again after a refusal (select lists, the entity).
    protected virtual Task<IActionResult> OnRefusedAsync() => Task.FromResult<IActionResult>(Page());

    protected void AddErrors(ValidationFailedException v, string prefix)
    {
        foreach (var (key, messages) in v.Errors)
        {
            var field = FieldKey(prefix, key);
            foreach (var m in messages)
            {
                ModelState.AddModelError(field, m);
            }
        }
    }

    /// "customerId" with prefix "Input" is "Input.CustomerId", matching the names asp-for gives the inputs.
    internal static string FieldKey(string prefix, string key)
    {
        var parts = key.Split('.', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Length == 0 ? p : string.Concat(char.ToUpperInvariant(p[0]).ToString(), p[1..]));
        var pascal = string.Join('.', parts);
        if (pascal.Length == 0) return prefix;
        return prefix.Length == 0 ? pascal : prefix + "." + pascal;
    }

    /// A page number past the end (after deletions, or typed by hand) goes to the last page that has rows.
    protected IActionResult? PastTheEnd<T>(Paged<T> result)
    {
        if (result.Items.Count > 0 || result.Total == 0 || result.Page <= 1) return null;
        var query = Request.Query
            .Where(kv => !string.Equals(kv.Key, "page", StringComparison.OrdinalIgnoreCase))
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)))
            .Append(new KeyValuePair<string, string?>("page", result.TotalPages.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return LocalRedirect(Request.Path + QueryString.Create(query).ToString());
    }

    protected static PageRequest Paging(int? page, int? perPage) => new(page ?? 1, perPage ?? 25);
}
