using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Agreements;

public sealed record AgreementInput(DateOnly? SignedOn, string? Signer, int? RowVersion = null);

public sealed record PurchaseOrderInput(string? Number, decimal? Amount, string? Currency, DateOnly? ReceivedOn, int? RowVersion = null);

public sealed record StoredFileDto(string FileName, string ContentType, long Length, string Sha256, string Url);

public sealed record AgreementDto(Guid Id, Guid EngagementId, DateOnly SignedOn, string Signer, StoredFileDto? File,
    DateTimeOffset RecordedAt, string RecordedByName, int RowVersion);

public sealed record PurchaseOrderDto(Guid Id, Guid EngagementId, string Number, decimal Amount, string Currency, DateOnly ReceivedOn,
    StoredFileDto? File, DateTimeOffset RecordedAt, string RecordedByName, int RowVersion);

/// The contract state of an engagement: dates may be committed only when both are recorded.
public sealed record ContractDto(Guid EngagementId, AgreementDto? Agreement, PurchaseOrderDto? PurchaseOrder, bool DatesMayBeCommitted);

public sealed record FileDownload(string FileName, string ContentType, Stream Content);

/// The signed agreement and the purchase order: "In no case should you commit to dates before receipt of agreements, P.O., etc."
public sealed class AgreementService(ProServDbContext db, AuditWriter audit, TimeProvider clock, FileStore files)
{
    public async Task<ContractDto> GetAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        await VisibleEngagementAsync(actor, engagementId, ct);
        var a = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(x => x.EngagementId == engagementId, ct);
        var p = await db.PurchaseOrders.AsNoTracking().FirstOrDefaultAsync(x => x.EngagementId == engagementId, ct);
        return new ContractDto(engagementId, a is null ? null : ToDto(a), p is null ? null : ToDto(p), a is not null && p is not null);
    }

    /// Both the signed agreement and the P.O. are recorded (the date gate).
    public async Task<bool> DatesMayBeCommittedAsync(Guid engagementId, CancellationToken ct) =>
        await db.Agreements.AnyAsync(a => a.EngagementId == engagementId, ct)
        && await db.PurchaseOrders.AnyAsync(p => p.EngagementId == engagementId, ct);

    public async Task<AgreementDto> RecordAgreementAsync(Actor actor, Guid engagementId, AgreementInput input, FileUpload? file, CancellationToken ct)
    {
        var engagement = await StaffEngagementAsync(actor, engagementId, ct);
        var errors = new ValidationErrors();
        var today = Today();
        var signer = input.Signer?.Trim() ?? "";
        errors.Require(signer.Length is > 0 and <= 200, "signer", "Enter who signed the agreement (at most 200 characters).");
        if (input.SignedOn is not { } signedOn) errors.Add("signedOn", "Enter the date the agreement was signed.");
        else errors.Require(signedOn <= today.AddDays(1), "signedOn", "The agreement cannot have been signed in the future.");
        errors.ThrowIfAny();

        var existing = await db.Agreements.FirstOrDefaultAsync(a => a.EngagementId == engagementId, ct);
        CheckVersion(existing?.RowVersion, input.RowVersion);
        var stored = file is null ? null : await files.SaveAsync($"engagements/{engagementId:n}", file, ct);
        var agreement = existing ?? new Agreement { Id = Guid.NewGuid(), EngagementId = engagementId, CustomerId = engagement.CustomerId, Signer = signer };
        var replacedFile = existing is not null && stored is not null ? existing.File : null;
        agreement.SignedOn = input.SignedOn!.Value;
        agreement.Signer = signer;
        if (stored is not null) agreement.File = stored;
        agreement.RecordedAt = clock.GetUtcNow();
        agreement.RecordedByName = actor.Name;
        if (existing is null) db.Agreements.Add(agreement);
        else agreement.RowVersion++;
        audit.Record(actor, "engagement", engagementId, existing is null ? "agreement.recorded" : "agreement.updated", null,
            new { agreement.SignedOn, agreement.Signer, file = stored?.FileName, sha256 = stored?.Sha256 }, engagement.CustomerId);
        audit.Publish("agreement.recorded", new { engagementId, agreement.SignedOn, agreement.Signer });
        await SaveAsync(stored, ct);
        files.Delete(replacedFile);
        return ToDto(agreement);
    }

    public async Task<PurchaseOrderDto> RecordPurchaseOrderAsync(Actor actor, Guid engagementId, PurchaseOrderInput input, FileUpload? file, CancellationToken ct)
    {
        var engagement = await StaffEngagementAsync(actor, engagementId, ct);
        var errors = new ValidationErrors();
        var number = input.Number?.Trim() ?? "";
        errors.Require(number.Length is > 0 and <= 100, "number", "Enter the P.O. number (at most 100 characters).");
        if (input.Amount is not { } amount) errors.Add("amount", "Enter the amount of the P.O.");
        else errors.Require(amount > 0 && decimal.Round(amount, 2) == amount && amount < 1_000_000_000_000m, "amount",
            "The amount is more than zero, with at most two decimals.");
        var currency = input.Currency?.Trim().ToUpperInvariant() ?? "";
        errors.Require(currency.Length == 3 && currency.All(char.IsAsciiLetterUpper), "currency",
            "The currency is a three-letter ISO 4217 code such as USD or EUR.");
        if (input.ReceivedOn is not { } received) errors.Add("receivedOn", "Enter the date the P.O. was received.");
        else errors.Require(received <= Today().AddDays(1), "receivedOn", "The P.O. cannot have been received in the future.");
        errors.ThrowIfAny();

        var existing = await db.PurchaseOrders.FirstOrDefaultAsync(p => p.EngagementId == engagementId, ct);
        CheckVersion(existing?.RowVersion, input.RowVersion);
        var stored = file is null ? null : await files.SaveAsync($"engagements/{engagementId:n}", file, ct);
        var po = existing ?? new PurchaseOrder { Id = Guid.NewGuid(), EngagementId = engagementId, CustomerId = engagement.CustomerId, Number = number, Currency = currency };
        var replacedFile = existing is not null && stored is not null ? existing.File : null;
        po.Number = number;
        po.Amount = input.Amount!.Value;
        po.Currency = currency;
        po.ReceivedOn = input.ReceivedOn!.Value;
        if (stored is not null) po.File = stored;
        po.RecordedAt = clock.GetUtcNow();
        po.RecordedByName = actor.Name;
        if (existing is null) db.PurchaseOrders.Add(po);
        else po.RowVersion++;
        audit.Record(actor, "engagement", engagementId, existing is null ? "purchase-order.recorded" : "purchase-order.updated", null,
            new { po.Number, po.Amount, po.Currency, po.ReceivedOn, file = stored?.FileName, sha256 = stored?.Sha256 }, engagement.CustomerId);
        audit.Publish("purchase-order.recorded", new { engagementId, po.Number, po.Amount, po.Currency, po.ReceivedOn });
        await SaveAsync(stored, ct);
        files.Delete(replacedFile);
        return ToDto(po);
    }

    /// The agreement's file; a customer contact reads only its own customer's (404 otherwise).
    public async Task<FileDownload> OpenAgreementFileAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        await VisibleEngagementAsync(actor, engagementId, ct);
        var a = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(x => x.EngagementId == engagementId, ct);
        var f = a?.File ?? throw new NotFoundException("Agreement file");
        return new FileDownload(f.FileName, f.ContentType, files.OpenRead(f));
    }

    public async Task<FileDownload> OpenPurchaseOrderFileAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        await VisibleEngagementAsync(actor, engagementId, ct);
        var p = await db.PurchaseOrders.AsNoTracking().FirstOrDefaultAsync(x => x.EngagementId == engagementId, ct);
        var f = p?.File ?? throw new NotFoundException("P.O. file");
        return new FileDownload(f.FileName, f.ContentType, files.OpenRead(f));
    }

    private async Task SaveAsync(StoredFile? stored, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            files.Delete(stored);
            throw new ConflictException("Changed at the same time", "Someone else recorded this at the same moment; reload and try again.");
        }
    }

    private static void CheckVersion(int? current, int? sent)
    {
        if (current is { } c && sent is { } s && c != s)
        {
            throw new ConflictException("Changed by someone else", "This was changed by someone else since you opened it; reload and try again.");
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private async Task<Engagement> VisibleEngagementAsync(Actor actor, Guid id, CancellationToken ct)
    {
        return await db.Engagements.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(x => x.Id == id, ct)
            ?? throw new NotFoundException("Engagement");
    }

    private async Task<Engagement> StaffEngagementAsync(Actor actor, Guid id, CancellationToken ct)
    {
        var e = await VisibleEngagementAsync(actor, id, ct);
        if (!actor.IsStaff)
        {
            throw new ForbiddenException("Only the team records agreements and purchase orders.");
        }
        return e;
    }

    private static StoredFileDto? ToDto(StoredFile? f, Guid engagementId, string kind) => f is null ? null
        : new StoredFileDto(f.FileName, f.ContentType, f.Length, f.Sha256, $"/api/v1/engagements/{engagementId}/{kind}/file");

    internal static AgreementDto ToDto(Agreement a) => new(a.Id, a.EngagementId, a.SignedOn, a.Signer,
        ToDto(a.File, a.EngagementId, "agreement"), a.RecordedAt, a.RecordedByName, a.RowVersion);

    internal static PurchaseOrderDto ToDto(PurchaseOrder p) => new(p.Id, p.EngagementId, p.Number, p.Amount, p.Currency.Trim(), p.ReceivedOn,
        ToDto(p.File, p.EngagementId, "purchase-order"), p.RecordedAt, p.RecordedByName, p.RowVersion);
}
