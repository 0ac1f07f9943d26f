using System.Net.Mail;
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
    IssueService issues, SowRequestTemplateService templates)
{
    private static readonly JsonSerializerOptions Json = SowRequestTemplateService.Json;

    public Task<SowRequestTemplateDto> GetTemplateAsync(CancellationToken ct) => templates.GetTemplateAsync(ct);

    public Task<IReadOnlyList<SowRequestTemplateDto>> TemplateVersionsAsync(CancellationToken ct) => templates.TemplateVersionsAsync(ct);

    public Task<SowRequestTemplateDto> UpdateTemplateAsync(Actor actor, SowTemplateInput input, CancellationToken ct) =>
        templates.UpdateTemplateAsync(actor, input, ct);

    public async Task<SowRequestCheck> CheckAsync(Actor actor, SowRequestInput input, CancellationToken ct) =>
        (await EvaluateAsync(actor, input, ct)).Check;

    /// Files the request: refused (422) with every missing field and the rules that fire, or accepted, creating the
    /// engagement in stage requested with its board labels and the scoping tasks the rules call for.
    public async Task<SowRequestDto> CreateAsync(Actor actor, SowRequestInput input, CancellationToken ct)
    {
        var (check, customer, offerings, facts) = await EvaluateAsync(actor, input, ct);
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
            EnvironmentVcs = Clean(env?.Vcs),
            EnvironmentCi = Clean(env?.Ci),
            EnvironmentAuthentication = Clean(env?.Authentication),
            EnvironmentUsers = Clean(env?.Users),
            EnvironmentNotes = Clean(env?.Notes),
            Timeline = input.Timeline?.Trim() ?? "",
            Contacts = JsonSerializer.Serialize(CleanContacts(input.Contacts), Json),
            UseCase = Clean(input.UseCase),
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

    private async Task<(SowRequestCheck Check, Customer? Customer, List<Offering>? Offerings, EligibilityFacts? Facts)> EvaluateAsync(
        Actor actor, SowRequestInput input, CancellationToken ct)
    {
        var template = await GetTemplateAsync(ct);
        var errors = new ValidationErrors();
        Customer? customer = null;
        if (input.CustomerId is not { } cid)
        {
            errors.Add(SowField.Customer, SowRequestTemplateService.Message(template, SowField.Customer));
        }
        else
        {
            customer = await db.Customers.AsNoTracking().Include(c => c.Tier).VisibleTo(actor).FirstOrDefaultAsync(c => c.Id == cid, ct);
            if (customer is null) errors.Add(SowField.Customer, "No such customer.");
        }
        var ids = (input.OfferingIds ?? []).Distinct().ToList();
        List<Offering>? offerings = null;
        if (ids.Count == 0)
        {
            errors.Add(SowField.Offerings, SowRequestTemplateService.Message(template, SowField.Offerings));
        }
        else
        {
            offerings = await db.Offerings.AsNoTracking().Where(o => ids.Contains(o.Id) && o.IsActive).ToListAsync(ct);
            var missing = ids.Except(offerings.Select(o => o.Id)).ToList();
            if (missing.Count > 0)
            {
                errors.Add(SowField.Offerings, $"Not an active offering in the catalog: {string.Join(", ", missing)}.");
                offerings = null;
            }
            else
            {
                offerings = offerings.OrderBy(o => o.SortOrder).ThenBy(o => o.Name, StringComparer.Ordinal).ToList();
            }
        }

        EligibilityFacts? facts = offerings is null || customer is null
            ? null
            : new EligibilityFacts(customer.Name, customer.TierId, customer.Tier?.Name ?? customer.TierId, customer.Tier?.IsPaying ?? false,
                customer.UpgradingFromCe, offerings.Select(o => new OfferingFact(o.Id, o.Slug, o.Name, o.Category)).ToList(),
                !string.IsNullOrWhiteSpace(input.UseCase), false, false);
        var trainingOnly = facts?.TrainingOnly ?? (offerings is not null && offerings.Count > 0
            && offerings.All(o => EligibilityFacts.IsTrainingLike(o.Category)));

        var env = input.Environment;
        var envDescribed = !string.IsNullOrWhiteSpace(env?.Notes);
        var contacts = CleanContacts(input.Contacts);
        foreach (var field in template.Fields)
        {
            var required = field.Required == FieldRequirement.Always || (field.Required == FieldRequirement.TrainingOnly && trainingOnly);
            var present = field.Key switch
            {
                SowField.Customer or SowField.Offerings => true, // checked above
                SowField.Goals => !string.IsNullOrWhiteSpace(input.Goals),
                SowField.EnvironmentVcs => envDescribed || !string.IsNullOrWhiteSpace(env?.Vcs),
                SowField.EnvironmentCi => envDescribed || !string.IsNullOrWhiteSpace(env?.Ci),
                SowField.EnvironmentAuthentication => envDescribed || !string.IsNullOrWhiteSpace(env?.Authentication),
                SowField.EnvironmentUsers => envDescribed || !string.IsNullOrWhiteSpace(env?.Users),
                SowField.Timeline => !string.IsNullOrWhiteSpace(input.Timeline),
                SowField.Contacts => contacts.Count > 0,
                SowField.UseCase => !string.IsNullOrWhiteSpace(input.UseCase),
                _ => true,
            };
            if (required && !present)
            {
                errors.Add(field.Key, SowRequestTemplateService.Message(template, field.Key));
                if (field.Key.StartsWith("environment.", StringComparison.Ordinal) && env is null)
                {
                    errors.Add("environment", "Describe the current environment: VCS and CI in use, authentication systems, number of users.");
                }
            }
        }
        foreach (var c in contacts)
        {
            if (c.Email is { } email && !MailAddress.TryCreate(email, out _))
            {
                errors.Add(SowField.Contacts, $"'{email}' is not an e-mail address.");
            }
        }
        CheckLength(errors, SowField.Goals, input.Goals, 8000);
        CheckLength(errors, SowField.Timeline, input.Timeline, 2000);
        CheckLength(errors, SowField.UseCase, input.UseCase, 8000);
        CheckLength(errors, SowField.EnvironmentVcs, env?.Vcs, 1000);
        CheckLength(errors, SowField.EnvironmentCi, env?.Ci, 1000);
        CheckLength(errors, SowField.EnvironmentAuthentication, env?.Authentication, 1000);
        CheckLength(errors, SowField.EnvironmentUsers, env?.Users, 200);
        CheckLength(errors, "environment", env?.Notes, 8000);
        CheckLength(errors, "title", input.Title, 300);
        errors.Require(contacts.Count <= 50, SowField.Contacts, "List at most 50 contacts.");

        var rules = facts is null ? [] : EligibilityPolicy.Evaluate(facts, EligibilityPoint.Request);
        var scoping = facts is null ? [] : EligibilityPolicy.RequiredScoping(facts);
        var labels = new List<string> { "type::sow" };
        if (offerings is not null) labels.AddRange(offerings.Select(o => $"offering::{o.Slug}"));
        if (customer is not null) labels.Add($"tier::{customer.TierId}");
        labels.Add($"stage::{EngagementStage.Requested}");
        var errorMap = errors.ToDictionary();
        var check = new SowRequestCheck(rules.Count == 0 && errorMap.Count == 0, rules, errorMap, scoping, labels, template.Version);
        return (check, customer, offerings, facts);
    }

    private static void CheckLength(ValidationErrors errors, string field, string? value, int max)
    {
        if (value is not null && value.Length > max) errors.Add(field, $"This is longer than {max} characters.");
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static List<SowContact> CleanContacts(IReadOnlyList<SowContact>? contacts) =>
        (contacts ?? []).Select(c => new SowContact(Clean(c.Name), Clean(c.Email), Clean(c.Role)))
            .Where(c => c.Name is not null || c.Email is not null).ToList();

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
