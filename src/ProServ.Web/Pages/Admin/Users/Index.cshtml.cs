using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Pages.Admin.Users;

public sealed class IndexModel(UserService users) : ProServPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? PerPage { get; set; }

    public Paged<UserDto> Result { get; private set; } = new([], 0, 1, 25);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Result = await users.ListAsync(Search, Role, Paging(PageNumber, PerPage), ct);
        return PastTheEnd(Result) ?? Page();
    }
}
