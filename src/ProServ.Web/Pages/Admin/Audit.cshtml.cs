using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Audit;

namespace ProServ.Web.Pages.Admin;

public sealed class AuditModel(AuditService audit) : ProServPageModel
{
    /// The kinds of thing the services record events about.
    public static readonly IReadOnlyList<string> EntityTypes = ["customer", "engagement", "offering", "user", "api-token"];

    [BindProperty(SupportsGet = true)]
    public string? EntityType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? EntityId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? PerPage { get; set; }

    public Paged<AuditEventDto> Result { get; private set; } = new([], 0, 1, 50);
    public bool Filtered => !string.IsNullOrWhiteSpace(EntityType) || !string.IsNullOrWhiteSpace(EntityId) || !string.IsNullOrWhiteSpace(Action);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Result = await audit.ListAsync(Actor,
            new AuditQuery(EntityType: EntityType, EntityId: EntityId?.Trim(), Action: Action?.Trim()),
            Paging(PageNumber, PerPage ?? 50), ct);
        return PastTheEnd(Result) ?? Page();
    }
}
