using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;
using ProServ.Web.Features.Auth;

namespace ProServ.Web.Pages.Account;

public sealed class SignInModel(SignInManager<ProServUser> signIn, PasswordCheck passwords, SignInGuard guard) : ProServPageModel
{
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(SafeReturnUrl());
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Input.Email)) ModelState.AddModelError("Input.Email", "Enter your e-mail address.");
        if (string.IsNullOrEmpty(Input.Password)) ModelState.AddModelError("Input.Password", "Enter your password.");
        if (!ModelState.IsValid) return Page();

        if (!guard.TryAttempt(Input.Email!, out var retryAfter))
        {
            return new TooManyAttemptsResult(retryAfter);
        }
        // Unknown, deactivated and locked-out accounts get the answer of a wrong password, so sign-in does not reveal who exists.
        var user = await passwords.CandidateAsync(Input.Email!, Input.Password!);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            return Redirect("/account/sign-in/code" + QueryString.Create("returnUrl", SafeReturnUrl()));
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", PasswordCheck.Refused);
            return Page();
        }
        return LocalRedirect(SafeReturnUrl());
    }

    private string SafeReturnUrl() =>
        !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";

    public sealed class SignInInput
    {
        [Display(Name = "E-mail address")]
        public string? Email { get; set; }

        [DataType(DataType.Password)]
        public string? Password { get; set; }
    }
}

/// The per-account limit answers like the per-address one: 429 problem+json with Retry-After.
internal sealed class TooManyAttemptsResult(TimeSpan retryAfter) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) =>
        AuthSetup.TooManyAttempts(context.HttpContext, retryAfter, "for this account").ExecuteAsync(context.HttpContext);
}
