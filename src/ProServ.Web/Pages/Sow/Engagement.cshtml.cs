using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Agreements;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Quotes;
using ProServ.Core.Features.Scheduling;
using ProServ.Core.Features.SowRequests;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Sow;

/// The SOW pipeline of one engagement: the request and its labels, scoping sign-off, quotes, the agreement and P.O.
/// panel, and the bookings that the agreement and P.O. unlock.
public sealed class EngagementModel(
    EngagementService engagements, SowRequestService requests, ScopingService scoping, QuoteService quotes,
    AgreementService agreements, BookingService bookings, UserService users, IAuthorizationService authz) : ProServPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty]
    public AgreementForm Agreement { get; set; } = new();

    [BindProperty]
    public PurchaseOrderForm PurchaseOrder { get; set; } = new();

    [BindProperty]
    public BookingForm Booking { get; set; } = new();

    public EngagementDto Engagement { get; private set; } = null!;
    public SowRequestDto? SowRequest { get; private set; }
    public IReadOnlyList<ScopingTaskDto> Scoping { get; private set; } = [];
    public IReadOnlyList<QuoteDto> Quotes { get; private set; } = [];
    public ContractDto Contract { get; private set; } = null!;
    public Paged<BookingDto> Bookings { get; private set; } = new([], 0, 1, 100);
    public IReadOnlyList<UserDto> Specialists { get; private set; } = [];
    public bool CanManage { get; private set; }
    /// Which form a refusal belongs to, so it is shown next to that form.
    public string? RefusedForm { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSignOffAsync(Guid taskId, string? notes, CancellationToken ct)
    {
        RefusedForm = "scoping";
        await scoping.CompleteAsync(Actor, Id, taskId, notes, ct);
        Flash("Scoping signed off.");
        return Redirect($"/sow/engagements/{Id}#scoping");
    }

    public async Task<IActionResult> OnPostAgreementAsync(CancellationToken ct)
    {
        RefusedForm = "agreement";
        InputPrefix = "Agreement";
        await using var stream = Agreement.File?.OpenReadStream();
        await agreements.RecordAgreementAsync(Actor, Id, new AgreementInput(Date(Agreement.SignedOn), Agreement.Signer, Agreement.RowVersion),
            Agreement.File is null ? null : new FileUpload(Agreement.File.FileName, stream!), ct);
        Flash("Signed agreement recorded.");
        return Redirect($"/sow/engagements/{Id}#contract");
    }

    public async Task<IActionResult> OnPostPurchaseOrderAsync(CancellationToken ct)
    {
        RefusedForm = "purchase-order";
        InputPrefix = "PurchaseOrder";
        await using var stream = PurchaseOrder.File?.OpenReadStream();
        await agreements.RecordPurchaseOrderAsync(Actor, Id,
            new PurchaseOrderInput(PurchaseOrder.Number, PurchaseOrder.Amount, PurchaseOrder.Currency, Date(PurchaseOrder.ReceivedOn), PurchaseOrder.RowVersion),
            PurchaseOrder.File is null ? null : new FileUpload(PurchaseOrder.File.FileName, stream!), ct);
        Flash("Purchase order recorded.");
        return Redirect($"/sow/engagements/{Id}#contract");
    }

    public async Task<IActionResult> OnPostBookingAsync(CancellationToken ct)
    {
        RefusedForm = "booking";
        InputPrefix = "Booking";
        DateTimeOffset? Parse(string? s) => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
        await bookings.CreateAsync(Actor, Id, new BookingInput(Booking.UserId, Parse(Booking.Start), Parse(Booking.End), Booking.Confirmed, Booking.Note), ct);
        Flash(Booking.Confirmed ? "Booking confirmed." : "Tentative booking added.");
        return Redirect($"/sow/engagements/{Id}#bookings");
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid bookingId, int? rowVersion, CancellationToken ct)
    {
        RefusedForm = "booking";
        await bookings.ConfirmAsync(Actor, bookingId, rowVersion, ct);
        Flash("Booking confirmed.");
        return Redirect($"/sow/engagements/{Id}#bookings");
    }

    /// The agreement's or the P.O.'s file; a customer contact gets only its own customer's (404 otherwise).
    public async Task<IActionResult> OnGetFileAsync(string kind, CancellationToken ct)
    {
        var d = kind == "purchase-order"
            ? await agreements.OpenPurchaseOrderFileAsync(Actor, Id, ct)
            : await agreements.OpenAgreementFileAsync(Actor, Id, ct);
        return File(d.Content, d.ContentType, d.FileName);
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private static DateOnly? Date(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private async Task LoadAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, Policies.ManageAccounts)).Succeeded;
        Engagement = await engagements.GetAsync(Actor, Id, ct);
        SowRequest = await requests.GetForEngagementAsync(Actor, Id, ct);
        Scoping = await scoping.ListAsync(Actor, Id, ct);
        Quotes = await quotes.ListForEngagementAsync(Actor, Id, ct);
        Contract = await agreements.GetAsync(Actor, Id, ct);
        Bookings = await bookings.ListAsync(Actor, new BookingQuery(EngagementId: Id), new PageRequest(1, 100), ct);
        if (CanManage)
        {
            var people = (await users.InRoleAsync(Role.PsEngineer, ct)).Concat(await users.InRoleAsync(Role.PsManager, ct));
            Specialists = people.DistinctBy(u => u.Id).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        }
    }

    public sealed class AgreementForm
    {
        public string? SignedOn { get; set; }
        public string? Signer { get; set; }
        public int? RowVersion { get; set; }
        public IFormFile? File { get; set; }
    }

    public sealed class PurchaseOrderForm
    {
        public string? Number { get; set; }
        public decimal? Amount { get; set; }
        public string? Currency { get; set; } = "USD";
        public string? ReceivedOn { get; set; }
        public int? RowVersion { get; set; }
        public IFormFile? File { get; set; }
    }

    public sealed class BookingForm
    {
        public Guid? UserId { get; set; }
        public string? Start { get; set; }
        public string? End { get; set; }
        public bool Confirmed { get; set; }
        public string? Note { get; set; }
    }
}
