namespace ProServ.Core.Features.Catalog;

/// The service catalog as the Professional Services handbook describes it. Prices are rough-order-of-magnitude
/// ranges in USD that administrators are expected to adjust; none is per hour or per day.
internal static class CatalogSeed
{
    internal sealed record SeedPackage(string Name, string Unit, decimal Low, decimal High, string Duration, string[] Deliverables);

    internal sealed record SeedOffering(string Slug, string Name, string Category, string Summary, SeedPackage[] Packages);

    public static IReadOnlyList<SeedOffering> Offerings { get; } =
    [
        new("discovery-engagement", "Discovery Engagement", OfferingCategory.Discovery,
            "A set period, typically one week, for a set price: on-site discovery of short, mid and long-term goals for a High-Availability deployment, a technical deep dive into the existing infrastructure (network topology, VM environment, inter-datacenter connectivity, security constraints), and scope planning against the customer's enterprise SLAs.",
            [
                new("One-week discovery", PricingUnit.Fixed, 15000, 25000, "1 week",
                    ["Goals for a High-Availability deployment (short, mid and long term)", "Infrastructure deep-dive report", "Scope plan against enterprise SLAs", "Sizing against the reference architectures"]),
            ]),
        new("gitlab-git-basics", "GitLab with Git Basics", OfferingCategory.Training,
            "For users new to Git and GitLab: the basics of Git (commit, branching, trees) in the GitLab user interface and on the command line. Remote or on site.",
            [
                new("Remote class (up to 15 participants)", PerDeliveryUnit, 3000, 5000, "1 day", ["Live remote class", "Slides and exercises", "Attendance record"]),
                new("On-site class (up to 20 participants)", PerDeliveryUnit, 6000, 9000, "1 day", ["On-site class", "Slides and exercises", "Attendance record"]),
            ]),
        new("gitlab-admin-training", "GitLab Admin Training", OfferingCategory.Training,
            "For new GitLab administrators: installing, configuring and maintaining a GitLab instance.",
            [
                new("Admin class (up to 10 participants)", PerDeliveryUnit, 5000, 8000, "2 days", ["Live class", "Lab environment", "Runbook templates"]),
            ]),
        new("gitlab-cicd-training", "GitLab CI/CD Training", OfferingCategory.Training,
            "For developers, administrators and DevOps professionals: GitLab CI/CD in projects, the .gitlab-ci.yml file, and GitLab as a complete DevOps platform for the SDLC.",
            [
                new("CI/CD class (up to 15 participants)", PerDeliveryUnit, 5000, 8000, "1–2 days", ["Live class", "Pipeline exercises", "Reference .gitlab-ci.yml examples"]),
            ]),
        new("migration-services", "Migration Services", OfferingCategory.Migration,
            "Importing projects from GitHub, Bitbucket, GitLab.com, FogBugz and SVN into GitLab (SVN is converted to Git), in a phased or a replacement approach, with a GitLab Adoption Plan for the customer's and Professional Services' actions.",
            [
                new("Migration planning and adoption plan", PricingUnit.Fixed, 8000, 15000, "2 weeks", ["GitLab Adoption Plan", "Wave plan", "Cut-over runbook"]),
                new("Repository migration", PricingUnit.PerRepository, 150, 600, "per wave", ["Converted repository", "Verification report per branch and tag", "Author mapping"]),
            ]),
        new("integration-services", "Integration Services", OfferingCategory.Integration,
            "An Integration Plan for the customer's existing systems and policies: LDAP/AD or OAuth sign-in; Jira, Jenkins, Redmine and Mattermost; custom integrations through automation, the API and webhooks.",
            [
                new("Standard integration", PricingUnit.PerIntegration, 4000, 10000, "1–2 weeks", ["Integration Plan item", "Configuration", "Working check"]),
                new("Custom integration (API, webhooks, automation)", PricingUnit.PerIntegration, 10000, 30000, "2–6 weeks", ["Design", "Scripts or service", "Documentation and hand-over"]),
            ]),
        new("train-the-trainer", "Train the Trainer", OfferingCategory.Training,
            "Workshops that enable super-users at the customer to train their own teams on Git and GitLab best practices.",
            [
                new("Train-the-trainer workshop series", PricingUnit.PerParticipant, 2500, 4000, "3 workshops", ["Workshop series", "Trainer kit", "Authorisation to train"]),
            ]),
        new("gitlab-certification-program", "GitLab Certification Program", OfferingCategory.Certification,
            "Exams and certificates that anyone can verify, with expiry and renewal.",
            [
                new("Certification seats", PricingUnit.PerSeat, 200, 400, "per exam window", ["Exam seat", "Verifiable certificate"]),
            ]),
    ];

    private const string PerDeliveryUnit = PricingUnit.PerDelivery;
}
