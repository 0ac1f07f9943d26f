using Microsoft.EntityFrameworkCore;
using ProServ.Core.Data;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.ApiTokens;

public sealed class ApiTokenRevoker(ProServDbContext db, TimeProvider clock) : IUserTokenRevoker
{
    public async Task<(IReadOnlyList<string> Revoked, int Kept)> StageRevocationAsync(Guid userId, string reason,
        IReadOnlyCollection<Guid> keep, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var tokens = await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null && t.ExpiresAt > now).ToListAsync(ct);
        var revoked = new List<string>();
        foreach (var token in tokens.Where(t => !keep.Contains(t.Id)))
        {
            token.RevokedAt = now;
            token.RevokedReason = reason;
            revoked.Add(token.Prefix);
        }
        return (revoked, tokens.Count - revoked.Count);
    }
}
