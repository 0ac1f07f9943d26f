using Microsoft.AspNetCore.Authorization;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// The issue templates, each with a link to edit it and one to start an issue from it.
[Authorize(Policy = AuthorizationPolicies.Staff)]
public sealed class TemplatesModel(IssueTemplateService templates) : ProServPageModel
{
    public IReadOnlyList<IssueTemplateDto> Templates { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Templates = await templates.ListAsync(ct);
}
