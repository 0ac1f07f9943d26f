using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Pages;

/// The one-time link printed on first start creates the first administrator.
public sealed class SetupModel(SetupService setup, SignInManager<ProServUser> signIn, UserManager<ProServUser> users) : ProServPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public SetupInput Input { get; set; } = new();

    public bool ValidLink { get; private set; }

    public int MinimumLength => PasswordPolicy.MinimumLength;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        ValidLink = await setup.IsValidSetupTokenAsync(Token, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ValidLink = await setup.IsValidSetupTokenAsync(Token, ct);
        if (!ValidLink) return Page();
        var admin = await setup.CompleteAsync(Token, Input.Email, Input.Name, Input.Password, ct);
        var user = await users.FindByIdAsync(admin.Id.ToString());
        if (user is not null)
        {
            await signIn.SignInAsync(user, isPersistent: false);
        }
        Flash($"Welcome, {admin.Name}. You are the first administrator of this ProServ.");
        return LocalRedirect("/");
    }

    public sealed class SetupInput
    {
        public string? Name { get; set; }

        [Display(Name = "E-mail address")]
        public string? Email { get; set; }

        [DataType(DataType.Password)]
        public string? Password { get; set; }
    }
}
