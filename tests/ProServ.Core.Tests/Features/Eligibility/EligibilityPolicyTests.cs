using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Eligibility;

namespace ProServ.Core.Tests.Features.Eligibility;

/// The eligibility rules as pure decisions over facts.
public sealed class EligibilityPolicyTests
{
    private static readonly OfferingFact Discovery = new(Guid.NewGuid(), "discovery-engagement", "Discovery Engagement", OfferingCategory.Discovery);
    private static readonly OfferingFact Training = new(Guid.NewGuid(), "gitlab-cicd-training", "GitLab CI/CD Training", OfferingCategory.Training);
    private static readonly OfferingFact Certification = new(Guid.NewGuid(), "gitlab-certification-program", "GitLab Certification Program", OfferingCategory.Certification);
    private static readonly OfferingFact Migration = new(Guid.NewGuid(), "migration-services", "Migration Services", OfferingCategory.Migration);
    private static readonly OfferingFact Integration = new(Guid.NewGuid(), "integration-services", "Integration Services", OfferingCategory.Integration);

    private static EligibilityFacts Facts(bool paying, OfferingFact[] offerings, bool upgrading = false, bool useCase = false,
        bool trainingSignedOff = false, bool ceScoped = false) =>
        new("Acme", paying ? "premium" : "free", paying ? "Premium" : "Free (CE)", paying, upgrading, offerings, useCase, trainingSignedOff, ceScoped);

    private static string[] Rules(EligibilityFacts f, EligibilityPoint p) => EligibilityPolicy.Evaluate(f, p).Select(r => r.Rule).ToArray();

    [Fact]
    public void CeCustomer_BuyingServices_FiresCeNoServices_WithAPartnerReferral()
    {
        var found = EligibilityPolicy.Evaluate(Facts(false, [Migration, Integration]), EligibilityPoint.Request);
        var rule = Assert.Single(found);
        Assert.Equal(SowRules.CeNoServices, rule.Rule);
        Assert.Contains("partners", rule.Detail, StringComparison.Ordinal);
        Assert.Contains("Discovery Engagement", rule.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CeCustomer_BuyingADiscoveryEngagement_FiresNothing() =>
        Assert.Empty(Rules(Facts(false, [Discovery]), EligibilityPoint.Issue));

    [Fact]
    public void CeCustomer_BuyingTrainingOnly_FiresTrainingOnlyRequiresEeFirst()
    {
        Assert.Equal([SowRules.TrainingOnlyRequiresEe, SowRules.CeNoServices], Rules(Facts(false, [Training, Certification], useCase: true), EligibilityPoint.Request));
    }

    [Fact]
    public void TrainingOnly_ForAPayingCustomer_NeedsTheUseCase_ThenTheSignedOffScopingBeforeIssue()
    {
        Assert.Equal([SowRules.TrainingOnlyRequiresUseCase], Rules(Facts(true, [Training]), EligibilityPoint.Request));
        Assert.Empty(Rules(Facts(true, [Training], useCase: true), EligibilityPoint.Request));
        Assert.Empty(Rules(Facts(true, [Training], useCase: true), EligibilityPoint.Quote));
        Assert.Equal([SowRules.TrainingOnlyRequiresUseCase], Rules(Facts(true, [Training], useCase: true), EligibilityPoint.Issue));
        Assert.Equal([SowRules.TrainingOnlyRequiresUseCase], Rules(Facts(true, [Training], useCase: true), EligibilityPoint.MoveToQuoted));
        Assert.Empty(Rules(Facts(true, [Training], useCase: true, trainingSignedOff: true), EligibilityPoint.Issue));
        Assert.Equal([ScopingKind.TrainingOnly], EligibilityPolicy.RequiredScoping(Facts(true, [Training], useCase: true)));
    }

    [Fact]
    public void TrainingWithOtherServices_IsNotTrainingOnly() =>
        Assert.Empty(Rules(Facts(true, [Training, Migration]), EligibilityPoint.Issue));

    [Fact]
    public void CeUpgrade_WithServices_NeedsScopingBeforeAQuote_ButNotBeforeTheRequest()
    {
        var facts = Facts(true, [Migration], upgrading: true);
        Assert.Empty(Rules(facts, EligibilityPoint.Request));
        Assert.Equal([SowRules.CeUpgradeNeedsScoping], Rules(facts, EligibilityPoint.Quote));
        Assert.Equal([SowRules.CeUpgradeNeedsScoping], Rules(facts, EligibilityPoint.MoveToQuoted));
        Assert.Empty(Rules(Facts(true, [Migration], upgrading: true, ceScoped: true), EligibilityPoint.Issue));
        Assert.Equal([ScopingKind.CeUpgrade], EligibilityPolicy.RequiredScoping(facts));
    }

    [Fact]
    public void CeUpgrade_OnTheFreeTierStill_IsScopedRatherThanRefused()
    {
        Assert.Equal([SowRules.CeUpgradeNeedsScoping], Rules(Facts(false, [Migration], upgrading: true), EligibilityPoint.Quote));
    }

    [Fact]
    public void CeUpgrade_WithOnlyADiscoveryEngagement_NeedsNoScoping() =>
        Assert.Empty(EligibilityPolicy.RequiredScoping(Facts(true, [Discovery], upgrading: true)));

    [Fact]
    public void ThrowIfAny_RefusesWithTheFirstRule_AndCarriesAllOfThem()
    {
        var found = EligibilityPolicy.Evaluate(Facts(false, [Training]), EligibilityPoint.Request);
        var e = Assert.Throws<ProServ.Core.Common.RuleViolationException>(() => EligibilityPolicy.ThrowIfAny(found));
        Assert.Equal(SowRules.TrainingOnlyRequiresEe, e.Rule);
        Assert.Equal(422, e.Status);
        Assert.Equal([SowRules.TrainingOnlyRequiresEe, SowRules.CeNoServices], ((RuleFinding[])e.Data["rules"]!).Select(r => r.Rule));
    }
}
