using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Account;

/// Changing one's own password ends one's other sessions and revokes one's API tokens, except those kept on purpose.
public sealed class PasswordModel(AccountService account, ApiTokenService tokens, SignInManager<ProServUser> signIn) : ProServPageModel
{
    [BindProperty]
    public PasswordForm Input { get; set; } = new();

    public IReadOnlyList<ApiTokenDto> Tokens { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var keep = Input.KeepTokens.Where(id => Tokens.Any(t => t.Id == id && t.IsActive)).ToList();
        await account.ChangePasswordAsync(Actor, Input.CurrentPassword, Input.NewPassword, keep, User.SessionId(), ct);
        await signIn.RefreshSignInAsync(await account.SelfAsync(Actor, ct));
        Flash(keep.Count == 0
            ? "Password changed. Your other sessions have ended and your API tokens are revoked."
            : $"Password changed. Your other sessions have ended; {keep.Count} API token(s) kept, the others are revoked.");
        return Redirect("/account/password");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Tokens = (await tokens.ListAsync(Actor.UserId ?? Guid.Empty, ct)).Where(t => t.IsActive).ToList();

    public sealed class PasswordForm
    {
        public string? CurrentPassword { get; set; }
        public string? NewPassword { get; set; }
        public List<Guid> KeepTokens { get; set; } = [];
    }
}
