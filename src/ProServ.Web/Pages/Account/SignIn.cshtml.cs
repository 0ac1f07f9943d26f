using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Pages.Account;

public sealed class SignInModel(SignInManager<ProServUser> signIn, UserManager<ProServUser> users) : ProServPageModel
{
    private const string Refused = "The e-mail address or password is wrong.";

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

        var user = await users.FindByEmailAsync(Input.Email!.Trim());
        // A deactivated account gets the same answer as a wrong password, so sign-in does not reveal who exists.
        if (user is null || !user.IsActive)
        {
            ModelState.AddModelError("", Refused);
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Input.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            ModelState.AddModelError("",
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Too many failed attempts: the account is locked for {PasswordPolicy.LockoutDuration.TotalMinutes:0} minutes. Try again later or ask an administrator to unlock it."));
            return Page();
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", Refused);
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
