using Microsoft.EntityFrameworkCore;
using ProServ.Core.Data;
using ProServ.Core.Features.SowDocuments;

namespace ProServ.Core.Features.SowRequests;

/// The business goals written on the engagement's SOW request become the SOW's scope.
internal sealed class SowRequestScopeSource(ProServDbContext db) : ISowScopeSource
{
    public async Task<string?> GetScopeAsync(Guid engagementId, CancellationToken ct)
    {
        var goals = await db.SowRequests.AsNoTracking().Where(r => r.EngagementId == engagementId)
            .Select(r => r.Goals).FirstOrDefaultAsync(ct);
        return string.IsNullOrWhiteSpace(goals) ? null : goals;
    }
}
