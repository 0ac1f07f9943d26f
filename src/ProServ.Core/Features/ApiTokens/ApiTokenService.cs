using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.ApiTokens;

public sealed record ApiTokenDto(Guid Id, Guid UserId, string Name, string Prefix, DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool IsActive, string? RevokedReason);

/// The secret is in <see cref="Token"/> and is never stored or shown again.
public sealed record CreatedApiToken(string Token, ApiTokenDto Details);

public sealed class ApiTokenService(ProServDbContext db, AuditWriter audit, TimeProvider clock)
{
    public const string TokenPrefix = "psv_";
    public const int DefaultDays = 30;
    public const int MaxDays = 365;

    public async Task<CreatedApiToken> CreateAsync(Actor actor, Guid userId, string? name, int? expiresInDays, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var tokenName = name?.Trim() ?? "";
        errors.Require(tokenName.Length is > 0 and <= 100, "name", "Name the token (at most 100 characters) so you can recognise it later.");
        var days = expiresInDays ?? DefaultDays;
        errors.Require(days is >= 1 and <= MaxDays, "expiresInDays", $"A token expires after 1 to {MaxDays} days.");
        errors.ThrowIfAny();

        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = tokenName,
            Prefix = secret[..(TokenPrefix.Length + 6)],
            Hash = Hash(secret),
            CreatedAt = now,
            ExpiresAt = now.AddDays(days),
        };
        db.ApiTokens.Add(token);
        audit.Record(actor, "api-token", token.Id, "api-token.created", null, new { token.Name, token.Prefix, token.ExpiresAt, userId });
        await db.SaveChangesAsync(ct);
        return new CreatedApiToken(secret, ToDto(token, now));
    }

    public async Task<IReadOnlyList<ApiTokenDto>> ListAsync(Guid userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var list = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        return list.Select(t => ToDto(t, now)).ToList();
    }

    /// A person revokes their own tokens; an administrator may revoke anyone's.
    public async Task RevokeAsync(Actor actor, Guid tokenId, CancellationToken ct)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId, ct);
        if (token is null || (token.UserId != actor.UserId && !actor.IsAdministrator))
        {
            throw new NotFoundException("Token");
        }
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            token.RevokedReason = token.UserId == actor.UserId ? "revoked by its owner" : "revoked by an administrator";
            audit.Record(actor, "api-token", token.Id, "api-token.revoked", null, new { token.Name, token.Prefix, token.UserId });
            await db.SaveChangesAsync(ct);
        }
    }

    /// The user id behind a presented token, or null when it is unknown, revoked or expired.
    public async Task<Guid?> AuthenticateAsync(string presented, CancellationToken ct)
    {
        if (!presented.StartsWith(TokenPrefix, StringComparison.Ordinal) || presented.Length > 100)
        {
            return null;
        }
        var hash = Hash(presented);
        var now = clock.GetUtcNow();
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Hash == hash, ct);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return null;
        }
        // Recording every use would turn each API read into a write; a minute's precision is enough.
        if (token.LastUsedAt is null || now - token.LastUsedAt.Value > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return token.UserId;
    }

    public static string Hash(string secret) => SecretHash.Of(secret);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiTokenDto ToDto(ApiToken t, DateTimeOffset now) => new(
        t.Id, t.UserId, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt,
        t.RevokedAt is null && t.ExpiresAt > now, t.RevokedReason);
}
