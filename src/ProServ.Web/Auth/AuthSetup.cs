using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using ProServ.Core.Data;
using ProServ.Core.Features.Users;
using ProServ.Web.Features.Auth;

namespace ProServ.Web.Auth;

/// Identity, cookies, API tokens, sign-in rate limits and the MFA requirement, registered in one place.
internal static class AuthSetup
{
    public const string SmartScheme = "cookie-or-token";

    /// Where a signed-in person who must enrol in MFA may still go.
    private static readonly string[] EnrolmentPaths = ["/account/mfa", "/account/sign-out", "/account/sign-in", "/account/denied"];

    public static void AddProServAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        // Cookies are Secure-only outside development; over plain http://localhost in development they follow the request.
        // Auth:SecureCookies=true|false overrides (e.g. false behind a plain-HTTP lab install, at your own risk).
        var secureCookies = config.GetValue<bool?>("Auth:SecureCookies") ?? !builder.Environment.IsDevelopment();
        var cookieSecurity = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

        services.AddIdentity<ProServUser, ProServRole>(PasswordPolicy.Configure)
            .AddEntityFrameworkStores<ProServDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<ClaimsFactory>();
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // The stamp check rebuilds the principal from the user; the session it belongs to must survive that.
            o.OnRefreshingPrincipal = ctx =>
            {
                if (ctx.CurrentPrincipal?.FindFirst(ProServClaims.Session) is { } session && ctx.NewPrincipal?.Identity is ClaimsIdentity identity)
                {
                    identity.AddClaim(new Claim(ProServClaims.Session, session.Value));
                }
                return Task.CompletedTask;
            };
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "proserv.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = cookieSecurity;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnSigningIn = SessionCookie.OnSigningInAsync;
            var validateStamp = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async ctx =>
            {
                if (!await SessionCookie.IsLiveAsync(ctx))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await validateStamp(ctx);
            };
        });
        // The cookie that carries a half-signed-in user between the password and the code pages.
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o =>
        {
            o.Cookie.Name = "proserv.2fa";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = cookieSecurity;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "proserv.af";
            o.Cookie.SecurePolicy = cookieSecurity;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.AddAuthentication()
            .AddPolicyScheme(SmartScheme, "Cookie for pages, API token for /api/v1", o =>
                o.ForwardDefaultSelector = ctx => IsApi(ctx.Request.Path)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.Configure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = SmartScheme;
            o.DefaultAuthenticateScheme = SmartScheme;
            o.DefaultChallengeScheme = SmartScheme;
            o.DefaultForbidScheme = SmartScheme;
        });
        services.AddAuthorization(AuthorizationPolicies.Add);

        // Auth:MfaRequiredRoles — comma-separated roles that must use MFA; empty for none.
        var required = config["Auth:MfaRequiredRoles"] is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : MfaOptions.DefaultRequiredRoles;
        services.Configure<MfaOptions>(o => o.RequiredRoles = required.ToList());

        var limits = config.GetSection("Auth:RateLimits").Get<SignInLimits>() ?? new SignInLimits();
        services.AddSingleton(limits);
        services.AddSingleton<SignInGuard>();
        services.AddScoped<PasswordCheck>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only password and code submissions are limited, per client address; the per-account limit is in SignInGuard,
            // because the account is in the request body.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => IsCredentialPost(ctx.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PerAddressPerWindow, Window = limits.Window, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("unlimited"));
            o.OnRejected = (ctx, ct) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var r) ? r : TimeSpan.FromMinutes(1);
                return new ValueTask(TooManyAttempts(ctx.HttpContext, retryAfter, "from this address").ExecuteAsync(ctx.HttpContext));
            };
        });
    }

    public static void UseProServAuthentication(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.Use(async (ctx, next) =>
        {
            if (MustEnrolFirst(ctx))
            {
                ctx.Response.Redirect("/account/mfa");
                return;
            }
            await next();
        });
    }

    /// 429 problem+json with Retry-After, for both the address and the account limit.
    public static IResult TooManyAttempts(HttpContext ctx, TimeSpan retryAfter, string scope)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many sign-in attempts",
            Detail = string.Create(CultureInfo.InvariantCulture, $"Too many sign-in attempts {scope}; try again in {seconds} seconds."),
            Extensions = { ["rule"] = "sign-in-rate-limit" },
        });
    }

    private static bool IsApi(PathString path) => path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase);

    private static bool IsCredentialPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/account/sign-in", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/account/sign-in/code", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/api/v1/auth/tokens", StringComparison.OrdinalIgnoreCase));

    private static bool MustEnrolFirst(HttpContext ctx)
    {
        if (ctx.User.Identity?.IsAuthenticated != true || IsApi(ctx.Request.Path) || ctx.User.HasClaim(c => c.Type == ProServClaims.Mfa))
        {
            return false;
        }
        var options = ctx.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<MfaOptions>>().Value;
        if (!options.IsRequiredFor(ctx.User.FindAll(ClaimTypes.Role).Select(c => c.Value))) return false;
        return !EnrolmentPaths.Any(p => ctx.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
    }
}

/// Limits for password and code submissions, per client address and per account (Auth:RateLimits).
public sealed class SignInLimits
{
    public int PerAddressPerWindow { get; set; } = 30;
    public int PerAccountPerWindow { get; set; } = 10;
    public int WindowSeconds { get; set; } = 60;

    public TimeSpan Window => TimeSpan.FromSeconds(Math.Max(1, WindowSeconds));
}
