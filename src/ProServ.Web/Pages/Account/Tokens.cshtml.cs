using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.ApiTokens;

namespace ProServ.Web.Pages.Account;

public sealed class TokensModel(ApiTokenService tokens) : ProServPageModel
{
    [BindProperty]
    public TokenForm Input { get; set; } = new();

    public IReadOnlyList<ApiTokenDto> Tokens { get; private set; } = [];

    /// The new secret, shown in this one response only; it is never stored in clear or put in TempData.
    public CreatedApiToken? Created { get; private set; }

    public int MaxDays => ApiTokenService.MaxDays;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!ModelState.IsValid) return Page();
        var userId = Actor.UserId ?? throw new ForbiddenException("Only a person can own an API token.");
        Created = await tokens.CreateAsync(Actor, userId, Input.Name, Input.ExpiresInDays, ct);
        Input = new TokenForm();
        ModelState.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid tokenId, CancellationToken ct)
    {
        await LoadAsync(ct);
        var token = Tokens.FirstOrDefault(t => t.Id == tokenId) ?? throw new NotFoundException("Token");
        await tokens.RevokeAsync(Actor, tokenId, ct);
        Flash($"Token {token.Name} ({token.Prefix}…) revoked; it no longer works.");
        return Redirect("/account/tokens");
    }

    private async Task LoadAsync(CancellationToken ct) => Tokens = await tokens.ListAsync(Actor.UserId ?? Guid.Empty, ct);

    public sealed class TokenForm
    {
        public string? Name { get; set; }

        [Display(Name = "Expires in days")]
        public int? ExpiresInDays { get; set; } = ApiTokenService.DefaultDays;
    }
}
