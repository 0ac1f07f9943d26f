using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Auth;

public static class ProServClaims
{
    public const string CustomerId = "proserv:customer";
    public const string DisplayName = "proserv:name";
    /// The UserSessions row an auth cookie belongs to.
    public const string Session = "proserv:session";
    /// Present when the user has a second factor enrolled.
    public const string Mfa = "proserv:mfa";

    public static Guid? UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var g) ? g : null;

    public static Guid? SessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(Session), out var g) ? g : null;

    /// The actor behind a request, built from its claims (cookie or API token alike).
    public static Actor ToActor(this ClaimsPrincipal principal)
    {
        var id = Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var g) ? g : (Guid?)null;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var customer = Guid.TryParse(principal.FindFirstValue(CustomerId), out var c) ? c : (Guid?)null;
        var name = principal.FindFirstValue(DisplayName) ?? principal.Identity?.Name ?? "unknown";
        return new Actor(id, name, roles, customer);
    }
}

/// Adds the display name and the bound customer to the principal, for cookies and tokens alike.
internal sealed class ClaimsFactory(UserManager<ProServUser> users, RoleManager<ProServRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ProServUser, ProServRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ProServUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ProServClaims.DisplayName, user.Name));
        if (user.CustomerId is { } customerId)
        {
            identity.AddClaim(new Claim(ProServClaims.CustomerId, customerId.ToString()));
        }
        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(ProServClaims.Mfa, "totp"));
        }
        return identity;
    }
}
