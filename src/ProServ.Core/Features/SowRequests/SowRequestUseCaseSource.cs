using Microsoft.EntityFrameworkCore;
using ProServ.Core.Data;
using ProServ.Core.Features.Eligibility;

namespace ProServ.Core.Features.SowRequests;

internal sealed class SowRequestUseCaseSource(ProServDbContext db) : IUseCaseSource
{
    public Task<string?> UseCaseAsync(Guid engagementId, CancellationToken ct) =>
        db.SowRequests.AsNoTracking().Where(r => r.EngagementId == engagementId).Select(r => r.UseCase).FirstOrDefaultAsync(ct);
}
