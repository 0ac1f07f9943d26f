using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.SowRequests;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.SowRequests;

/// The SOW request form, rendered from the administrator's template, with a "check" that shows every rule that would
/// fire before the request is filed.
[Authorize(Policy = AuthorizationPolicies.ManageAccounts)]
public sealed class NewRequestModel(SowRequestService requests, CustomerService customers, CatalogService catalog) : ProServPageModel
{
    [BindProperty]
    public RequestForm Input { get; set; } = new();

    [FromQuery(Name = "customer")]
    public Guid? PreselectedCustomer { get; set; }

    public SowRequestTemplateDto Template { get; private set; } = null!;
    public IReadOnlyList<CustomerDto> Customers { get; private set; } = [];
    public IReadOnlyList<OfferingDto> Offerings { get; private set; } = [];

    /// The outcome of "Check": every rule that would fire (empty when the request would be accepted).
    public SowRequestCheck? Check { get; private set; }

    /// Every rule that fired on submit (the first one is also the refusal).
    public IReadOnlyList<RuleFinding> FiredRules { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (PreselectedCustomer is { } c) Input.CustomerId = c;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Check = await requests.CheckAsync(Actor, Input.ToInput(), ct);
        AddErrors(new ValidationFailedException(Check.Errors), "Input");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            var created = await requests.CreateAsync(Actor, Input.ToInput(), ct);
            Flash($"SOW request filed; the engagement is {created.Stage}.");
            return Redirect($"/engagements/{created.EngagementId}");
        }
        catch (RuleViolationException r)
        {
            // The refusal names the first rule; the page also lists the others and every missing field in place.
            Refusal = new Refusal($"Refused by rule {r.Rule}", r.Message, r.Rule);
            FiredRules = r.Data["rules"] as IReadOnlyList<RuleFinding> ?? [];
            if (r.Data["errors"] is IReadOnlyDictionary<string, string[]> errors) AddErrors(new ValidationFailedException(errors), "Input");
            await LoadAsync(ct);
            return Page();
        }
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Template = await requests.GetTemplateAsync(ct);
        Customers = (await customers.ListAsync(Actor, new CustomerQuery(), new PageRequest(1, PageRequest.MaxPerPage), ct)).Items;
        Offerings = await catalog.ListAsync(false, ct);
    }

    public sealed class RequestForm
    {
        public Guid? CustomerId { get; set; }
        public List<Guid> OfferingIds { get; set; } = [];
        public string? Title { get; set; }
        public string? Goals { get; set; }
        public EnvironmentForm Environment { get; set; } = new();
        public string? Timeline { get; set; }
        /// One contact per line: "Name <email>", "email" or "Name, role, email".
        public string? Contacts { get; set; }
        public string? UseCase { get; set; }

        public SowRequestInput ToInput() => new(CustomerId, OfferingIds, Goals,
            new SowEnvironmentInput(Environment.Vcs, Environment.Ci, Environment.Authentication, Environment.Users),
            Timeline, ParseContacts(Contacts), UseCase, Title);

        internal static IReadOnlyList<SowContact> ParseContacts(string? text) =>
            (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line =>
                {
                    var lt = line.IndexOf('<', StringComparison.Ordinal);
                    var gt = line.IndexOf('>', StringComparison.Ordinal);
                    if (lt >= 0 && gt > lt) return new SowContact(line[..lt].Trim().TrimEnd(','), line[(lt + 1)..gt].Trim(), null);
                    var parts = line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    var email = parts.FirstOrDefault(p => p.Contains('@', StringComparison.Ordinal));
                    var rest = parts.Where(p => p != email).ToList();
                    return new SowContact(rest.ElementAtOrDefault(0), email, rest.ElementAtOrDefault(1));
                }).ToList();
    }

    public sealed class EnvironmentForm
    {
        public string? Vcs { get; set; }
        public string? Ci { get; set; }
        public string? Authentication { get; set; }
        public string? Users { get; set; }
    }
}
