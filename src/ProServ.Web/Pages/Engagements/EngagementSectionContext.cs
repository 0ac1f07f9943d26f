using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Engagements;

namespace ProServ.Web.Pages.Engagements;

/// What a section may use of the engagement page: who acts, the engagement, its forms, and the page's way of
/// answering (flash and redirect back, refusals shown next to the form they belong to).
public sealed class EngagementSectionContext(DetailsModel page, IAuthorizationService authz)
{
    private readonly Dictionary<string, bool> _allowed = new(StringComparer.Ordinal);
    private readonly Dictionary<(Type, string), object> _forms = [];

    public Guid EngagementId => page.Id;
    public Actor Actor => page.CurrentActor;

    /// Loaded before the sections are; not available while a section handles a form.
    public EngagementDto Engagement => page.Engagement;

    /// The page, for the _Errors partial.
    public ProServPageModel Page => page;

    public HttpRequest Request => page.Request;

    /// Whether the signed-in user passes an authorization policy (AuthorizationPolicies.*); asked once per request.
    public async Task<bool> IsAllowedAsync(string policy)
    {
        if (!_allowed.TryGetValue(policy, out var allowed))
        {
            allowed = (await authz.AuthorizeAsync(page.User, policy)).Succeeded;
            _allowed[policy] = allowed;
        }
        return allowed;
    }

    /// The posted form under a prefix ("Booking" binds Booking.Start, Booking.File…), bound once; an empty form on GET
    /// so that only what was posted is shown again after a refusal.
    public async Task<T> FormAsync<T>(string prefix) where T : class, new()
    {
        if (_forms.TryGetValue((typeof(T), prefix), out var bound))
        {
            return (T)bound;
        }
        var form = new T();
        if (HttpMethods.IsPost(page.Request.Method))
        {
            await page.BindFormAsync(form, prefix);
        }
        _forms[(typeof(T), prefix)] = form;
        return form;
    }

    /// Marks which form is being handled, so a refusal is shown next to it (<see cref="IsRefused"/>), and the prefix
    /// a service's field names get in the page's model state ("signedOn" becomes "Agreement.SignedOn").
    public void Handling(string form, string? inputPrefix = null)
    {
        page.RefusedForm = form;
        if (inputPrefix is not null)
        {
            page.SetInputPrefix(inputPrefix);
        }
    }

    public bool IsRefused(string form) => page.RefusedForm == form;

    /// A confirmation on the engagement page, back at this section.
    public IActionResult Done(string message, string anchor)
    {
        page.FlashOnNextPage(message);
        return new RedirectResult($"/engagements/{page.Id}#{anchor}");
    }
}
