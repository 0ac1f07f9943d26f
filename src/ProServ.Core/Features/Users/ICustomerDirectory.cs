namespace ProServ.Core.Features.Users;

/// What user administration needs to know of customers. The Customers feature answers it: customers depend on users
/// (account executives), so users must not depend on customers.
public interface ICustomerDirectory
{
    Task<bool> ExistsAsync(Guid customerId, CancellationToken ct);

    Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyCollection<Guid> customerIds, CancellationToken ct);
}
