using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Auth;

/// Ties each auth cookie to a row in UserSessions, so a session can be listed and ended.
internal static class SessionCookie
{
    public static async Task OnSigningInAsync(CookieSigningInContext ctx)
    {
        if (ctx.Principal?.Identity is not ClaimsIdentity identity || identity.HasClaim(c => c.Type == ProServClaims.Session)) return;
        if (!Guid.TryParse(identity.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId)) return;
        var sessions = ctx.HttpContext.RequestServices.GetRequiredService<UserSessionService>();
        var ct = ctx.HttpContext.RequestAborted;
        // A refresh (after the person changed their own password or MFA) re-issues the cookie of the session it came from.
        var current = ctx.HttpContext.User;
        var sessionId = current.UserId() == userId && current.SessionId() is { } existing && await sessions.TouchAsync(existing, userId, ct)
            ? existing
            : await sessions.StartAsync(userId, ctx.HttpContext.Request.Headers.UserAgent.ToString(),
                ctx.HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        identity.AddClaim(new Claim(ProServClaims.Session, sessionId.ToString()));
    }

    /// An ended (or unknown) session is refused on its next request, not at the next security-stamp check.
    public static async Task<bool> IsLiveAsync(CookieValidatePrincipalContext ctx)
    {
        if (ctx.Principal is not { } principal || principal.UserId() is not { } userId || principal.SessionId() is not { } sessionId) return false;
        var sessions = ctx.HttpContext.RequestServices.GetRequiredService<UserSessionService>();
        return await sessions.TouchAsync(sessionId, userId, ctx.HttpContext.RequestAborted);
    }
}
