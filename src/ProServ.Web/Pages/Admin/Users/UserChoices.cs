using ProServ.Core.Common;
using ProServ.Core.Features.Customers;

namespace ProServ.Web.Pages.Admin.Users;

internal static class UserChoices
{
    public static async Task<IReadOnlyList<CustomerDto>> CustomersAsync(CustomerService customers, Actor actor, CancellationToken ct) =>
        (await customers.ListAsync(actor, new CustomerQuery(), new PageRequest(1, PageRequest.MaxPerPage), ct)).Items;
}
