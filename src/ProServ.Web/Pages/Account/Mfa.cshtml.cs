using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Pages.Account;

/// Enrolling an authenticator app (TOTP), renewing recovery codes and turning MFA off; each asks for the password.
public sealed class MfaModel(MfaService mfa, AccountService account, SignInManager<ProServUser> signIn) : ProServPageModel
{
    public AuthenticatorSetup Setup { get; private set; } = null!;

    /// Shown in this one response only.
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public bool Required => mfa.Options.IsRequiredFor(Actor.Roles);

    [BindProperty]
    public MfaForm Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => Setup = await mfa.SetupAsync(Actor, ct);

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken ct)
    {
        RecoveryCodes = await mfa.EnableAsync(Actor, Input.CurrentPassword, Input.Code, ct);
        await RefreshAsync(ct);
        Setup = await mfa.SetupAsync(Actor, ct);
        Input = new MfaForm();
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken ct)
    {
        RecoveryCodes = await mfa.NewRecoveryCodesAsync(Actor, Input.CurrentPassword, ct);
        Setup = await mfa.SetupAsync(Actor, ct);
        Input = new MfaForm();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken ct)
    {
        await mfa.DisableAsync(Actor, Input.CurrentPassword, ct);
        await RefreshAsync(ct);
        Flash("Two-factor authentication is off.");
        return Redirect("/account/mfa");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        Setup = await mfa.SetupAsync(Actor, HttpContext.RequestAborted);
        return Page();
    }

    /// The change updated the security stamp; this session gets a cookie with the new stamp (and MFA claim), the others end.
    private async Task RefreshAsync(CancellationToken ct) => await signIn.RefreshSignInAsync(await account.SelfAsync(Actor, ct));

    public sealed class MfaForm
    {
        public string? Code { get; set; }
        public string? CurrentPassword { get; set; }
    }
}
