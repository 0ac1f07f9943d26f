using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Pages.Account;

/// Signing out changes state, so it happens only on POST (with the antiforgery token); GET shows a button.
public sealed class SignOutModel(SignInManager<ProServUser> signIn) : ProServPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/account/sign-in");
    }
}
