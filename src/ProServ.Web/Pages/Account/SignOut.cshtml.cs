using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Account;

/// Signing out changes state, so it happens only on POST (with the antiforgery token); GET shows a button.
public sealed class SignOutModel(SignInManager<ProServUser> signIn, UserSessionService sessions) : ProServPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A copy of the cookie must not outlive the sign-out.
        if (User.SessionId() is { } session) await sessions.EndCurrentAsync(session, "signed out", ct);
        await signIn.SignOutAsync();
        return LocalRedirect("/account/sign-in");
    }
}
