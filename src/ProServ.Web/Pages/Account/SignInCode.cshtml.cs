using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Pages.Account;

/// The second step of sign-in for a user with MFA: a code from the authenticator app or a recovery code.
[AllowAnonymous]
public sealed class SignInCodeModel(SignInManager<ProServUser> signIn) : ProServPageModel
{
    private const string Wrong = "The code is wrong or has expired; enter the code your app shows now, or a recovery code.";

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/account/sign-in") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return Redirect("/account/sign-in");
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        if (code.Length == 0)
        {
            ModelState.AddModelError("Code", "Enter the code.");
            return Page();
        }
        // Authenticator codes are 6 digits; recovery codes are longer and contain letters.
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", Wrong);
            return Page();
        }
        return LocalRedirect(!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
