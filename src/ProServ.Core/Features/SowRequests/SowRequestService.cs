using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.SowRequests;

public sealed class SowRequestService(ProServDbContext db, AuditWriter audit, TimeProvider clock, EligibilityPolicy eligibility,
    IssueService issues, SowRequestTemplateService templates, SowRequestEvaluator evaluator)
{
    private static readonly JsonSerializerOptions Json = SowRequestTemplateService.Json;

    public Task<SowRequestTemplateDto> GetTemplateAsync(CancellationToken ct) => templates.GetTemplateAsync(ct);

    public Task<IReadOnlyList<SowRequestTemplateDto>> TemplateVersionsAsync(CancellationToken ct) => templates.TemplateVersionsAsync(ct);

    public Task<SowRequestTemplateDto> UpdateTemplateAsync(Actor actor, SowTemplateInput input, CancellationToken ct) =>
        templates.UpdateTemplateAsync(actor, input, ct);

    public async Task<SowRequestCheck> CheckAsync(Actor actor, SowRequestInput input, CancellationToken ct) =>
        (await evaluator.EvaluateAsync(actor, input, ct)).Check;

    /// Files the request: refused (422) with every missing field and the rules that fire, or accepted, creating the
    /// engagement in stage requested with its board labels and the scoping tasks the rules call for.
    public async Task<SowRequestDto> CreateAsync(Actor actor, SowRequestInput input, CancellationToken ct)
    {
        var (check, customer, offerings, facts) = await evaluator.EvaluateAsync(actor, input, ct);
        EligibilityPolicy.ThrowIfAny(check.Rules, check.Errors);
        if (check.Errors.Count > 0)
        {
            throw new ValidationFailedException(check.Errors);
        }

        var now = clock.GetUtcNow();
        var names = string.Join(", ", offerings!.Select(o => o.Name));
        var title = string.IsNullOrWhiteSpace(input.Title) ? $"SOW: {names} for {customer!.Name}" : input.Title.Trim();
        if (title.Length > 300) title = title[..300];
        var engagement = new Engagement
        {
            Id = Guid.NewGuid(),
            CustomerId = customer!.Id,
            Title = title,
            OwnerId = actor.UserId is { } uid && await db.Users.AnyAsync(u => u.Id == uid, ct) ? uid : null,
            Stage = EngagementStage.Requested,
            Offerings = offerings!.Select(o => new EngagementOffering { OfferingId = o.Id }).ToList(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var env = input.Environment;
        var request = new SowRequest
        {
            Id = Guid.NewGuid(),
            CustomerId = customer.Id,
            EngagementId = engagement.Id,
            TemplateVersion = check.TemplateVersion,
            Goals = input.Goals?.Trim() ?? "",
            EnvironmentVcs = SowRequestEvaluator.Clean(env?.Vcs),
            EnvironmentCi = SowRequestEvaluator.Clean(env?.Ci),
            EnvironmentAuthentication = SowRequestEvaluator.Clean(env?.Authentication),
            EnvironmentUsers = SowRequestEvaluator.Clean(env?.Users),
            EnvironmentNotes = SowRequestEvaluator.Clean(env?.Notes),
            Timeline = input.Timeline?.Trim() ?? "",
            Contacts = JsonSerializer.Serialize(SowRequestEvaluator.CleanContacts(input.Contacts), Json),
            UseCase = SowRequestEvaluator.Clean(input.UseCase),
            TrainingOnly = facts!.TrainingOnly,
            Labels = string.Join('\n', check.Labels),
            CreatedAt = now,
            CreatedById = actor.UserId,
            CreatedByName = actor.Name,
        };
        db.Engagements.Add(engagement);
        db.SowRequests.Add(request);
        foreach (var kind in check.ScopingRequired)
        {
            db.ScopingTasks.Add(eligibility.NewTask(engagement.Id, kind));
        }
        audit.Record(actor, "engagement", engagement.Id, "engagement.created", null,
            new { engagement.Title, engagement.CustomerId, offeringIds = offerings!.Select(o => o.Id), stage = engagement.Stage, sowRequestId = request.Id },
            customer.Id);
        audit.Record(actor, "sow-request", request.Id, "sow-request.created", null,
            new { request.EngagementId, request.TemplateVersion, labels = check.Labels, scoping = check.ScopingRequired }, customer.Id);
        audit.Publish("sow-request.created", new
        {
            request.Id,
            request.EngagementId,
            request.CustomerId,
            labels = check.Labels,
            scoping = check.ScopingRequired,
        });
        // The request, its engagement and its board issue (labelled type::sow, offering::…, tier::…, stage::…) commit together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await issues.CreateAsync(actor, new IssueInput(
            engagement.Title, SowRequestBoardIssue.Description(request, customer.Name, names), IssueType.SowRequest,
            SowRequestBoardIssue.Labels(check.Labels), null, null, null,
            customer.Id, engagement.Id, Confidential: true), ct);
        await tx.CommitAsync(ct);
        return await GetAsync(actor, request.Id, ct);
    }

    public async Task<SowRequestDto> GetAsync(Actor actor, Guid id, CancellationToken ct)
    {
        var r = await Visible(actor).FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("SOW request");
        return await ToDtoAsync(actor, r, ct);
    }

    public async Task<SowRequestDto?> GetForEngagementAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var r = await Visible(actor).FirstOrDefaultAsync(x => x.EngagementId == engagementId, ct);
        return r is null ? null : await ToDtoAsync(actor, r, ct);
    }

    public async Task<Paged<SowRequestDto>> ListAsync(Actor actor, SowRequestQuery query, PageRequest page, CancellationToken ct)
    {
        var q = Visible(actor);
        if (query.CustomerId is { } cid) q = q.Where(r => r.CustomerId == cid);
        var p = page.Normalised();
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id).Skip(p.Skip).Take(p.PerPage).ToListAsync(ct);
        var dtos = new List<SowRequestDto>();
        foreach (var r in items) dtos.Add(await ToDtoAsync(actor, r, ct));
        return new Paged<SowRequestDto>(dtos, total, p.Page, p.PerPage);
    }

    private IQueryable<SowRequest> Visible(Actor actor)
    {
        IQueryable<SowRequest> q = db.SowRequests.AsNoTracking()
            .Include(r => r.Customer)
            .Include(r => r.Engagement).ThenInclude(e => e!.Offerings).ThenInclude(o => o.Offering);
        return q.VisibleTo(actor);
    }

    /// The use case is the account team's own reasoning ("churn risk"); customer contacts do not see it.
    private async Task<SowRequestDto> ToDtoAsync(Actor actor, SowRequest r, CancellationToken ct)
    {
        var tasks = await db.ScopingTasks.AsNoTracking().Where(t => t.EngagementId == r.EngagementId).ToListAsync(ct);
        var e = r.Engagement!;
        return new SowRequestDto(r.Id, r.EngagementId, r.CustomerId, r.Customer?.Name ?? "", r.Customer?.TierId ?? "", e.Stage,
            r.TemplateVersion,
            e.Offerings.Where(o => o.Offering is not null)
                .Select(o => new EngagementOfferingDto(o.OfferingId, o.Offering!.Slug, o.Offering.Name, o.Offering.Category))
                .OrderBy(o => o.Name, StringComparer.Ordinal).ToList(),
            r.Goals, new SowEnvironmentDto(r.EnvironmentVcs, r.EnvironmentCi, r.EnvironmentAuthentication, r.EnvironmentUsers, r.EnvironmentNotes),
            r.Timeline, JsonSerializer.Deserialize<List<SowContact>>(r.Contacts, Json) ?? [], actor.IsStaff ? r.UseCase : null, r.TrainingOnly, r.LabelList,
            tasks.OrderBy(t => t.CreatedAt).Select(t => ScopingService.ToDto(actor, t)).ToList(), r.CreatedAt, r.CreatedByName);
    }


}
