namespace ProServ.Core.Features.Users;

/// Ends a user's API tokens when their credentials change. ApiTokens answers it, so that Users need not know the
/// token entity (ApiTokens already depends on Users for the token's owner).
public interface IUserTokenRevoker
{
    /// Stages the revocation of the user's live tokens, except those kept; the caller saves it with the credential
    /// change. Returns the revoked tokens' prefixes and how many live tokens were kept.
    Task<(IReadOnlyList<string> Revoked, int Kept)> StageRevocationAsync(Guid userId, string reason,
        IReadOnlyCollection<Guid> keep, CancellationToken ct);
}
