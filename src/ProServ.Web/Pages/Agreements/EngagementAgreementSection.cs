using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Agreements;
using ProServ.Web.Auth;
using ProServ.Web.Pages.Engagements;

namespace ProServ.Web.Pages.Agreements;

/// The signed agreement and the P.O.: recorded with their files, and together the gate before any date is committed.
public sealed class EngagementAgreementSection(AgreementService agreements) : IEngagementSection
{
    public const string AgreementPrefix = "Agreement";
    public const string PurchaseOrderPrefix = "PurchaseOrder";

    public string Anchor => "contract";
    public int Order => 500;
    public string Partial => "/Pages/Agreements/_EngagementAgreement.cshtml";
    public string? Policy => null;
    public IReadOnlyCollection<string> Handlers => ["Agreement", "PurchaseOrder", "File"];

    public async Task<object> LoadAsync(EngagementSectionContext context, CancellationToken ct) =>
        new EngagementAgreementView(context,
            await agreements.GetAsync(context.Actor, context.EngagementId, ct),
            await context.IsAllowedAsync(AuthorizationPolicies.ManageAccounts),
            await context.FormAsync<AgreementForm>(AgreementPrefix),
            await context.FormAsync<PurchaseOrderForm>(PurchaseOrderPrefix));

    public Task<IActionResult> HandleAsync(EngagementSectionContext context, string handler, CancellationToken ct) =>
        handler.ToUpperInvariant() switch
        {
            "AGREEMENT" => RecordAgreementAsync(context, ct),
            "PURCHASEORDER" => RecordPurchaseOrderAsync(context, ct),
            _ => FileAsync(context, ct),
        };

    private async Task<IActionResult> RecordAgreementAsync(EngagementSectionContext context, CancellationToken ct)
    {
        context.Handling("agreement", AgreementPrefix);
        var form = await context.FormAsync<AgreementForm>(AgreementPrefix);
        await using var stream = form.File?.OpenReadStream();
        await agreements.RecordAgreementAsync(context.Actor, context.EngagementId,
            new AgreementInput(Date(form.SignedOn), form.Signer, form.RowVersion),
            form.File is null ? null : new FileUpload(form.File.FileName, stream!), ct);
        return context.Done("Signed agreement recorded.", Anchor);
    }

    private async Task<IActionResult> RecordPurchaseOrderAsync(EngagementSectionContext context, CancellationToken ct)
    {
        context.Handling("purchase-order", PurchaseOrderPrefix);
        var form = await context.FormAsync<PurchaseOrderForm>(PurchaseOrderPrefix);
        await using var stream = form.File?.OpenReadStream();
        await agreements.RecordPurchaseOrderAsync(context.Actor, context.EngagementId,
            new PurchaseOrderInput(form.Number, form.Amount, form.Currency, Date(form.ReceivedOn), form.RowVersion),
            form.File is null ? null : new FileUpload(form.File.FileName, stream!), ct);
        return context.Done("Purchase order recorded.", Anchor);
    }

    /// The agreement's or the P.O.'s file; a customer contact gets only its own customer's (404 otherwise).
    private async Task<IActionResult> FileAsync(EngagementSectionContext context, CancellationToken ct)
    {
        var d = context.Request.Query["kind"] == "purchase-order"
            ? await agreements.OpenPurchaseOrderFileAsync(context.Actor, context.EngagementId, ct)
            : await agreements.OpenAgreementFileAsync(context.Actor, context.EngagementId, ct);
        return new FileStreamResult(d.Content, d.ContentType) { FileDownloadName = d.FileName };
    }

    private static DateOnly? Date(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

public sealed record EngagementAgreementView(
    EngagementSectionContext Context, ContractDto Contract, bool CanManage, AgreementForm Agreement, PurchaseOrderForm PurchaseOrder);

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
