using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using ProServ.Core.Common;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Auth;

/// <c>code</c> is the current authenticator code, required when the account has two-factor authentication on.
public sealed record TokenRequest(string? Email, string? Password, string? Name, int? ExpiresInDays, string? Code = null);

public sealed record TokenResponse(string Token, Guid Id, string Name, DateTimeOffset ExpiresAt);

public sealed record NewTokenRequest(string? Name, int? ExpiresInDays);

internal static class AuthEndpoints
{
    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/auth").WithTags("Auth").AddEndpointFilterFactory(RequestValueCheck.Factory);
        g.MapPost("/tokens", Issue).AllowAnonymous().WithName("CreateTokenWithPassword")
            .WithSummary("Exchanges e-mail and password (and the authenticator code, for accounts with two-factor authentication) for an API token; the token is shown once.")
            .Produces<TokenResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        var mine = g.MapGroup("/tokens").RequireAuthorization();
        mine.MapGet("/", List).WithName("ListTokens");
        mine.MapPost("/new", Create).WithName("CreateToken").WithSummary("Creates another token for the authenticated caller.");
        mine.MapDelete("/{id:guid}", Revoke).WithName("RevokeToken");
    }

    private static async Task<IResult> Issue(TokenRequest input, HttpContext http, UserManager<ProServUser> users,
        SignInManager<ProServUser> signIn, PasswordCheck passwords, SignInGuard guard, MfaService mfa, ApiTokenService tokens, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Require(!string.IsNullOrWhiteSpace(input.Email), "email", "Enter your e-mail address.");
        errors.Require(!string.IsNullOrEmpty(input.Password), "password", "Enter your password.");
        errors.ThrowIfAny();
        if (!guard.TryAttempt(input.Email!, out var retryAfter))
        {
            return AuthSetup.TooManyAttempts(http, retryAfter, "for this account");
        }
        var user = await passwords.CandidateAsync(input.Email!, input.Password!);
        if (user is null || !(await signIn.CheckPasswordSignInAsync(user, input.Password!, lockoutOnFailure: true)).Succeeded)
        {
            return Refused();
        }
        var roles = await users.GetRolesAsync(user);
        if (user.TwoFactorEnabled)
        {
            if (!await mfa.VerifyAsync(user, input.Code))
            {
                // A wrong code counts towards the lockout like a wrong password.
                await users.AccessFailedAsync(user);
                return TypedResults.Problem(statusCode: 401, title: "Two-factor code required",
                    detail: "This account uses two-factor authentication: send the current 6-digit code of your authenticator app as 'code'.");
            }
            await users.ResetAccessFailedCountAsync(user);
        }
        else if (mfa.Options.IsRequiredFor(roles))
        {
            return TypedResults.Problem(statusCode: 403, title: "Two-factor authentication required",
                detail: "Your role must use two-factor authentication: sign in to the web app and enrol an authenticator app first.",
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["rule"] = "mfa-enrolment-required" });
        }
        var actor = new Actor(user.Id, user.Name, new HashSet<string>(roles, StringComparer.Ordinal), user.CustomerId);
        var created = await tokens.CreateAsync(actor, user.Id, input.Name ?? "api", input.ExpiresInDays, ct);
        return TypedResults.Created($"/api/v1/auth/tokens/{created.Details.Id}",
            new TokenResponse(created.Token, created.Details.Id, created.Details.Name, created.Details.ExpiresAt));
    }

    private static ProblemHttpResult Refused() =>
        TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: PasswordCheck.Refused);

    private static async Task<Ok<IReadOnlyList<ApiTokenDto>>> List(ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListAsync(user.Actor().UserId ?? Guid.Empty, ct));

    private static async Task<Created<TokenResponse>> Create(NewTokenRequest input, ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct)
    {
        var actor = user.Actor();
        var created = await tokens.CreateAsync(actor, actor.UserId ?? Guid.Empty, input.Name, input.ExpiresInDays, ct);
        return TypedResults.Created($"/api/v1/auth/tokens/{created.Details.Id}",
            new TokenResponse(created.Token, created.Details.Id, created.Details.Name, created.Details.ExpiresAt));
    }

    private static async Task<NoContent> Revoke(Guid id, ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct)
    {
        await tokens.RevokeAsync(user.Actor(), id, ct);
        return TypedResults.NoContent();
    }
}
