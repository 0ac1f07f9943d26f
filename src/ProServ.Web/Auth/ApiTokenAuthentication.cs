using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Auth;

/// `Authorization: Bearer psv_…` — a personal API token, looked up by its hash.
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokenService tokens, UserManager<ProServUser> users, IUserClaimsPrincipalFactory<ProServUser> principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var presented = header["Bearer ".Length..].Trim();
        var userId = await tokens.AuthenticateAsync(presented, Context.RequestAborted);
        if (userId is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, revoked or expired.");
        }
        var user = await users.FindByIdAsync(userId.Value.ToString());
        // Lockout guards password sign-in only: otherwise anyone who knows an e-mail address could stop that user's automation.
        if (user is null || !user.IsActive)
        {
            return AuthenticateResult.Fail("The token's user is deactivated.");
        }
        var principal = await principals.CreateAsync(user);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: 401, title: "Authentication required",
            detail: "Send a valid API token as 'Authorization: Bearer <token>' (create one with POST /api/v1/auth/tokens).")
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: 403, title: "Forbidden",
            detail: "Your roles do not allow this action.").ExecuteAsync(Context);
    }
}
