using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Eligibility;

/// The ids of the SOW pipeline's rules, as they appear in problem details ("rule": "…").
public static class SowRules
{
    public const string CeNoServices = "ce-no-services";
    public const string TrainingOnlyRequiresEe = "training-only-requires-ee";
    public const string TrainingOnlyRequiresUseCase = "training-only-requires-use-case";
    public const string CeUpgradeNeedsScoping = "ce-upgrade-needs-scoping";
    public const string DiscountNeedsApproval = "discount-needs-approval";
    public const string NoDatesBeforeAgreementAndPo = "no-dates-before-agreement-and-po";
    public const string NoHourlyRates = PricingUnit.NoHourlyRatesRule;
}

/// One rule that fires, with the sentence that explains it.
public sealed record RuleFinding(string Rule, string Detail);

/// Where the rules are checked; later points check more (a quote needs the scoping that a request only starts).
public enum EligibilityPoint
{
    Request,
    Quote,
    Issue,
    MoveToQuoted,
}

public sealed record OfferingFact(Guid Id, string Slug, string Name, string Category);

/// What the eligibility rules look at, loaded once so that every caller judges the same facts.
public sealed record EligibilityFacts(
    string CustomerName, string TierId, string TierName, bool TierIsPaying, bool UpgradingFromCe,
    IReadOnlyList<OfferingFact> Offerings, bool HasUseCase, bool TrainingScopingSignedOff, bool CeUpgradeScopingDone)
{
    /// Training and the specialised training of the certification program; a request of nothing else is "training only".
    public static bool IsTrainingLike(string category) =>
        category is OfferingCategory.Training or OfferingCategory.Certification;

    public bool TrainingOnly => Offerings.Count > 0 && Offerings.All(o => IsTrainingLike(o.Category));

    /// Anything beyond a Discovery Engagement is a service in the handbook's sense.
    public bool HasServices => Offerings.Any(o => o.Category != OfferingCategory.Discovery);

    public bool CeUpgradeWithServices => UpgradingFromCe && HasServices;
}

/// The handbook's eligibility rules, in one place, for SOW requests, quotes and stage transitions alike
/// ("Selling Professional Services": CE customers, training only, CE → EE upgrades).
public sealed class EligibilityPolicy(ProServDbContext db, TimeProvider clock, IUseCaseSource useCases) : IEngagementTransitionGuard, IEngagementCreationGuard
{
    /// An engagement opened directly (not through a SOW request) is judged as a request would be; it has no use case,
    /// so training on its own must go through a SOW request.
    public async Task CheckNewAsync(Guid customerId, IReadOnlyList<Guid> offeringIds, Actor actor, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Include(c => c.Tier).FirstOrDefaultAsync(c => c.Id == customerId, ct)
            ?? throw new NotFoundException("Customer");
        var offerings = await db.Offerings.AsNoTracking().Where(o => offeringIds.Contains(o.Id)).ToListAsync(ct);
        var facts = new EligibilityFacts(customer.Name, customer.TierId, customer.Tier?.Name ?? customer.TierId,
            customer.Tier?.IsPaying ?? false, customer.UpgradingFromCe,
            offerings.Select(o => new OfferingFact(o.Id, o.Slug, o.Name, o.Category)).ToList(),
            HasUseCase: false, TrainingScopingSignedOff: false, CeUpgradeScopingDone: false);
        ThrowIfAny(Evaluate(facts, EligibilityPoint.Request));
    }

    /// Every rule that fires for these facts at this point, most specific first.
    public static IReadOnlyList<RuleFinding> Evaluate(EligibilityFacts f, EligibilityPoint point)
    {
        var found = new List<RuleFinding>();
        if (f.TrainingOnly && !f.TierIsPaying)
        {
            found.Add(new(SowRules.TrainingOnlyRequiresEe,
                $"Training on its own is sold only to customers on a paying (EE) tier, and {f.CustomerName} is on {f.TierName}; " +
                "the customer can upgrade first, or one of GitLab's partners can deliver the training."));
        }
        // A customer upgrading from CE is moving to EE: its services are scoped (ce-upgrade-needs-scoping), not refused.
        if (!f.TierIsPaying && !f.UpgradingFromCe && f.HasServices)
        {
            var refused = f.Offerings.Where(o => o.Category != OfferingCategory.Discovery).Select(o => o.Name);
            found.Add(new(SowRules.CeNoServices,
                $"{f.CustomerName} is a free (CE) customer, and Professional Services does not sell implementation, integration, " +
                $"migration or training services to CE customers ({string.Join(", ", refused)}), so refer them to one of GitLab's partners; " +
                "a Discovery Engagement is still possible if they are moving to a scaled deployment."));
        }
        if (f.TrainingOnly && f.TierIsPaying)
        {
            if (!f.HasUseCase)
            {
                found.Add(new(SowRules.TrainingOnlyRequiresUseCase,
                    "A training-only request needs the account team's use case for training alone " +
                    "(for example low licence utilisation, a churn risk, or expansion into new teams)."));
            }
            else if ((point is EligibilityPoint.Issue or EligibilityPoint.MoveToQuoted) && !f.TrainingScopingSignedOff)
            {
                found.Add(new(SowRules.TrainingOnlyRequiresUseCase,
                    "Training only must be scoped in the scoping stage and signed off by a PS manager before any quote is issued."));
            }
        }
        if (f.CeUpgradeWithServices && point != EligibilityPoint.Request && !f.CeUpgradeScopingDone)
        {
            found.Add(new(SowRules.CeUpgradeNeedsScoping,
                $"{f.CustomerName} is upgrading from CE with services in the transition, so Professional Services must finish " +
                "the scoping task for the transition before the engagement is quoted."));
        }
        return found;
    }

    /// The scoping tasks these facts call for (created with the request, or when the engagement enters scoping).
    public static IReadOnlyList<string> RequiredScoping(EligibilityFacts f)
    {
        var kinds = new List<string>();
        if (f.TrainingOnly && f.TierIsPaying) kinds.Add(ScopingKind.TrainingOnly);
        if (f.CeUpgradeWithServices) kinds.Add(ScopingKind.CeUpgrade);
        return kinds;
    }

    public static string ScopingTitle(string kind) => kind switch
    {
        ScopingKind.TrainingOnly => "Scope the training with Customer Success; a PS manager signs it off",
        ScopingKind.CeUpgrade => "Scope the requirements of the CE → EE transition",
        _ => kind,
    };

    /// Refuses with the first rule that fires; the problem also lists every rule that fired and any field errors.
    public static void ThrowIfAny(IReadOnlyList<RuleFinding> findings, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        if (findings.Count == 0)
        {
            return;
        }
        var first = findings[0];
        var e = new RuleViolationException(first.Rule, first.Detail);
        e.Data["rules"] = findings.Select(f => new RuleFinding(f.Rule, f.Detail)).ToArray();
        if (errors is { Count: > 0 })
        {
            e.Data["errors"] = errors;
        }
        throw e;
    }

    /// The facts of an engagement, plus the offerings of any packages about to be quoted on it.
    public async Task<EligibilityFacts> FactsForEngagementAsync(Guid engagementId, IEnumerable<Guid> extraOfferingIds, CancellationToken ct)
    {
        var e = await db.Engagements.AsNoTracking()
            .Include(x => x.Customer).ThenInclude(c => c!.Tier)
            .Include(x => x.Offerings).ThenInclude(o => o.Offering)
            .FirstOrDefaultAsync(x => x.Id == engagementId, ct) ?? throw new NotFoundException("Engagement");
        var offerings = e.Offerings.Where(o => o.Offering is not null).Select(o => o.Offering!).ToList();
        var extra = extraOfferingIds.Except(offerings.Select(o => o.Id)).ToList();
        if (extra.Count > 0)
        {
            offerings.AddRange(await db.Offerings.AsNoTracking().Where(o => extra.Contains(o.Id)).ToListAsync(ct));
        }
        var useCase = await useCases.UseCaseAsync(engagementId, ct);
        var tasks = await db.ScopingTasks.AsNoTracking().Where(t => t.EngagementId == engagementId).ToListAsync(ct);
        var customer = e.Customer!;
        return new EligibilityFacts(customer.Name, customer.TierId, customer.Tier?.Name ?? customer.TierId, customer.Tier?.IsPaying ?? false,
            customer.UpgradingFromCe,
            offerings.Select(o => new OfferingFact(o.Id, o.Slug, o.Name, o.Category)).ToList(),
            !string.IsNullOrWhiteSpace(useCase),
            tasks.Any(t => t.Kind == ScopingKind.TrainingOnly && t.IsDone),
            tasks.Any(t => t.Kind == ScopingKind.CeUpgrade && t.IsDone));
    }

    public async Task<IReadOnlyList<RuleFinding>> EvaluateEngagementAsync(Guid engagementId, EligibilityPoint point,
        IEnumerable<Guid> extraOfferingIds, CancellationToken ct) =>
        Evaluate(await FactsForEngagementAsync(engagementId, extraOfferingIds, ct), point);

    /// Stage transitions: entering scoping creates the scoping tasks the rules call for; moving to quoted is refused
    /// while a rule fires.
    public async Task CheckAsync(Engagement engagement, string to, Actor actor, CancellationToken ct)
    {
        if (to == EngagementStage.Quoted)
        {
            ThrowIfAny(await EvaluateEngagementAsync(engagement.Id, EligibilityPoint.MoveToQuoted, [], ct));
        }
        else if (to == EngagementStage.Scoping)
        {
            var facts = await FactsForEngagementAsync(engagement.Id, [], ct);
            var existing = await db.ScopingTasks.Where(t => t.EngagementId == engagement.Id).Select(t => t.Kind).ToListAsync(ct);
            foreach (var kind in RequiredScoping(facts).Except(existing))
            {
                // Added to the same unit of work as the transition, so it exists only if the move succeeds.
                db.ScopingTasks.Add(NewTask(engagement.Id, kind));
            }
        }
    }

    public ScopingTask NewTask(Guid engagementId, string kind) => new()
    {
        Id = Guid.NewGuid(),
        EngagementId = engagementId,
        Kind = kind,
        Title = ScopingTitle(kind),
        CreatedAt = clock.GetUtcNow(),
    };
}
