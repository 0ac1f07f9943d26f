using Microsoft.EntityFrameworkCore;
using ProServ.Core.Data;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Customers;

internal sealed class CustomerDirectory(ProServDbContext db) : ICustomerDirectory
{
    public Task<bool> ExistsAsync(Guid customerId, CancellationToken ct) => db.Customers.AnyAsync(c => c.Id == customerId, ct);

    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyCollection<Guid> customerIds, CancellationToken ct)
    {
        if (customerIds.Count == 0) return new Dictionary<Guid, string>();
        return await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
    }
}
