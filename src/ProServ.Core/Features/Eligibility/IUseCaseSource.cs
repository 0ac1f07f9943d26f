namespace ProServ.Core.Features.Eligibility;

/// The customer's stated use case for an engagement, which the training-only rule looks at. SOW requests hold it;
/// they depend on the eligibility rules, so the rules ask through this interface instead of reading requests.
public interface IUseCaseSource
{
    Task<string?> UseCaseAsync(Guid engagementId, CancellationToken ct);
}
