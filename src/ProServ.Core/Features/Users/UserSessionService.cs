using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Users;

public sealed record UserSessionDto(Guid Id, Guid UserId, string UserAgent, string Address, DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt, DateTimeOffset? EndedAt, string? EndReason, bool IsActive);

/// Signed-in browsers of a user. A person sees and ends their own; an administrator ends anyone's.
/// Credential changes end them too (<see cref="EndCredentials"/>), together with the user's API tokens.
public sealed class UserSessionService(ProServDbContext db, AuditWriter audit, TimeProvider clock, IUserTokenRevoker tokens)
{
    public const string PasswordChanged = "password changed";
    public const string PasswordReset = "password reset by an administrator";
    public const string Deactivated = "user deactivated";

    /// Recording every request would turn each page view into a write; a minute's precision is enough.
    private static readonly TimeSpan TouchPrecision = TimeSpan.FromMinutes(1);

    public async Task<Guid> StartAsync(Guid userId, string? userAgent, string? address, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var session = new UserSession
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            UserAgent = Truncate(userAgent, UserSessionConfiguration.UserAgentLength),
            Address = Truncate(address, UserSessionConfiguration.AddressLength),
            CreatedAt = now,
            LastSeenAt = now,
        };
        db.Set<UserSession>().Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    /// Whether the session is still live for this user; notes when it was last seen.
    public async Task<bool> TouchAsync(Guid sessionId, Guid userId, CancellationToken ct)
    {
        var session = await db.Set<UserSession>().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || session.UserId != userId || session.EndedAt is not null) return false;
        var now = clock.GetUtcNow();
        if (now - session.LastSeenAt > TouchPrecision)
        {
            session.LastSeenAt = now;
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    /// The user's live sessions, most recently seen first. Another person's sessions are 404 to all but administrators.
    public async Task<IReadOnlyList<UserSessionDto>> ListAsync(Actor actor, Guid userId, CancellationToken ct)
    {
        if (actor.UserId != userId && !actor.IsAdministrator) throw new NotFoundException("User");
        var list = await db.Set<UserSession>().AsNoTracking().Where(s => s.UserId == userId && s.EndedAt == null).ToListAsync(ct);
        return list.OrderByDescending(s => s.LastSeenAt).Select(ToDto).ToList();
    }

    public async Task EndAsync(Actor actor, Guid sessionId, CancellationToken ct)
    {
        var session = await db.Set<UserSession>().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || (session.UserId != actor.UserId && !actor.IsAdministrator)) throw new NotFoundException("Session");
        if (session.EndedAt is not null) return;
        var reason = session.UserId == actor.UserId ? "ended by its owner" : "ended by an administrator";
        End(session, reason);
        audit.Record(actor, "user", session.UserId, "user.session-ended", reason, new { sessionId = session.Id });
        await db.SaveChangesAsync(ct);
    }

    /// Ends every live session of the user except <paramref name="keep"/> (the one making the request, if any).
    public async Task<int> EndAllAsync(Actor actor, Guid userId, Guid? keep, CancellationToken ct)
    {
        if (actor.UserId != userId && !actor.IsAdministrator) throw new NotFoundException("User");
        var reason = actor.UserId == userId ? "ended by its owner" : "ended by an administrator";
        var ended = await EndSessionsAsync(userId, reason, keep, ct);
        if (ended > 0)
        {
            audit.Record(actor, "user", userId, "user.sessions-ended", reason, new { count = ended, keptCurrent = keep is not null });
            await db.SaveChangesAsync(ct);
        }
        return ended;
    }

    public async Task EndCurrentAsync(Guid sessionId, string reason, CancellationToken ct)
    {
        var session = await db.Set<UserSession>().FirstOrDefaultAsync(s => s.Id == sessionId && s.EndedAt == null, ct);
        if (session is null) return;
        End(session, reason);
        await db.SaveChangesAsync(ct);
    }

    /// After a credential change: ends the user's other sessions and revokes their API tokens, naming the reason.
    /// Only stages the changes; the caller saves them with the credential change in one transaction.
    internal async Task EndCredentials(Actor actor, Guid userId, string reason, Guid? keepSession,
        IReadOnlyCollection<Guid> keepTokens, CancellationToken ct)
    {
        var sessions = await EndSessionsAsync(userId, reason, keepSession, ct);
        var (revoked, kept) = await tokens.StageRevocationAsync(userId, reason, keepTokens, ct);
        audit.Record(actor, "user", userId, "user.credentials-ended", reason,
            new { sessionsEnded = sessions, tokensRevoked = revoked, tokensKept = kept });
    }

    /// Stages the end of the user's live sessions; the caller saves.
    internal async Task<int> EndSessionsAsync(Guid userId, string reason, Guid? keep, CancellationToken ct)
    {
        var live = await db.Set<UserSession>().Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keep).ToListAsync(ct);
        foreach (var s in live) End(s, reason);
        return live.Count;
    }

    private void End(UserSession session, string reason)
    {
        session.EndedAt = clock.GetUtcNow();
        session.EndReason = reason;
    }

    private static string Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= length ? value : value[..length];

    private static UserSessionDto ToDto(UserSession s) =>
        new(s.Id, s.UserId, s.UserAgent, s.Address, s.CreatedAt, s.LastSeenAt, s.EndedAt, s.EndReason, s.EndedAt is null);
}
