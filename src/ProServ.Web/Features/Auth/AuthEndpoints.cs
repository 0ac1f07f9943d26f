using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using ProServ.Core.Common;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Users;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Auth;

public sealed record TokenRequest(string? Email, string? Password, string? Name, int? ExpiresInDays);

public sealed record TokenResponse(string Token, Guid Id, string Name, DateTimeOffset ExpiresAt);

public sealed record NewTokenRequest(string? Name, int? ExpiresInDays);

internal static class AuthEndpoints
{
    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/auth").WithTags("Auth").AddEndpointFilterFactory(RequestValueCheck.Factory);
        g.MapPost("/tokens", Issue).AllowAnonymous().WithName("CreateTokenWithPassword")
            .WithSummary("Exchanges e-mail and password for an API token; the token is shown once.");
        var mine = g.MapGroup("/tokens").RequireAuthorization();
        mine.MapGet("/", List).WithName("ListTokens");
        mine.MapPost("/new", Create).WithName("CreateToken").WithSummary("Creates another token for the authenticated caller.");
        mine.MapDelete("/{id:guid}", Revoke).WithName("RevokeToken");
    }

    private static async Task<Results<Created<TokenResponse>, ProblemHttpResult>> Issue(
        TokenRequest input, UserManager<ProServUser> users, SignInManager<ProServUser> signIn, ApiTokenService tokens, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Require(!string.IsNullOrWhiteSpace(input.Email), "email", "Enter your e-mail address.");
        errors.Require(!string.IsNullOrEmpty(input.Password), "password", "Enter your password.");
        errors.ThrowIfAny();
        var user = await users.FindByEmailAsync(input.Email!.Trim());
        if (user is null || !user.IsActive)
        {
            return Refused();
        }
        var check = await signIn.CheckPasswordSignInAsync(user, input.Password!, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            return TypedResults.Problem(statusCode: 429, title: "Account locked",
                detail: $"Too many failed attempts; the account is locked for {PasswordPolicy.LockoutDuration.TotalMinutes} minutes.");
        }
        if (!check.Succeeded)
        {
            return Refused();
        }
        var actor = new Actor(user.Id, user.Name, new HashSet<string>(await users.GetRolesAsync(user), StringComparer.Ordinal), user.CustomerId);
        var created = await tokens.CreateAsync(actor, user.Id, input.Name ?? "api", input.ExpiresInDays, ct);
        return TypedResults.Created($"/api/v1/auth/tokens/{created.Details.Id}",
            new TokenResponse(created.Token, created.Details.Id, created.Details.Name, created.Details.ExpiresAt));
    }

    private static ProblemHttpResult Refused() =>
        TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: "The e-mail address or password is wrong.");

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
