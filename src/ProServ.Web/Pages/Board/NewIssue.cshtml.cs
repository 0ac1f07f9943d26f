using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Customers;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// A new issue, blank or from a template (the template fills the description with its sections and sets type and labels).
[Authorize(Policy = AuthorizationPolicies.Staff)]
public sealed class NewIssueModel(IssueService issues, IssueTemplateService templates, CustomerService customers) : ProServPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Template { get; set; }

    [BindProperty]
    public IssueForm Input { get; set; } = new();

    public IReadOnlyList<IssueTemplateDto> Templates { get; private set; } = [];
    public IReadOnlyList<CustomerDto> Customers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Templates.FirstOrDefault(t => t.Slug == Template) is { } template)
        {
            Input.Description = template.Body;
            Input.Type = template.Type;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var created = await issues.CreateAsync(Actor, new IssueInput(Input.Title, Input.Description, Input.Type, BoardUi.Labels(Input.Labels),
            null, Input.DueDate, Input.Weight, Input.CustomerId, null, Input.Confidential, string.IsNullOrWhiteSpace(Template) ? null : Template), ct);
        Flash($"Issue #{created.Id} created.");
        return Redirect($"/board/issues/{created.Id}");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Templates = await templates.ListAsync(ct);
        Customers = (await customers.ListAsync(Actor, new CustomerQuery(), new PageRequest(1, PageRequest.MaxPerPage), ct)).Items;
    }

    public sealed class IssueForm
    {
        public string? Title { get; set; }
        public string? Description { get; set; }
        public string? Type { get; set; }
        public string? Labels { get; set; }
        public Guid? CustomerId { get; set; }
        public DateOnly? DueDate { get; set; }
        public int? Weight { get; set; }
        public bool Confidential { get; set; }
    }
}
