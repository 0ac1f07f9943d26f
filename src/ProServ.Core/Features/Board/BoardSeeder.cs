using Microsoft.EntityFrameworkCore;
using ProServ.Core.Data;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Board;

/// Seeds the board idempotently: the full-text objects, the stage and workflow labels, the SOW request template, two boards
/// and the handbook's current strategic initiatives. Only what is missing is added; edits survive restarts.
public sealed class BoardSeeder(ProServDbContext db, LabelService labels, MarkdownRenderer markdown, TimeProvider clock)
{
    public const string SowTemplate = "sow-request";

    private static readonly (string Name, string Color, string Description)[] SeedLabels =
    [
        ("stage::requested", "#8fbc8f", "A SOW was requested."),
        ("stage::scoping", "#5f9ea0", "PS is scoping the work."),
        ("stage::quoted", "#4682b4", "A quote was sent."),
        ("stage::sow-review", "#6a5acd", "The SOW is with the customer for review."),
        ("stage::signed", "#2e8b57", "Agreement and P.O. are in."),
        ("stage::scheduled", "#daa520", "Dates are booked."),
        ("stage::in-delivery", "#d2691e", "The work is being delivered."),
        ("stage::closed", "#708090", "Delivered and accepted."),
        ("stage::cancelled", "#a9a9a9", "The engagement was cancelled."),
        ("workflow::planned", "#87ceeb", "Planned, not started."),
        ("workflow::in-progress", "#ffa500", "Someone is working on it."),
        ("workflow::review", "#9370db", "Waiting for review."),
    ];

    private static readonly (string Title, string Description)[] Initiatives =
    [
        ("Improvements to GitLab University",
            "Better training resources: refresh the GitLab University material so customers and partners can learn on their own.\n\n" +
            "## Goals\n- Review the courses against the current product\n- Fill the gaps found by the training team"),
        ("Managed Trials",
            "Program development: run customer trials with PS guidance so that a trial shows what GitLab does for the customer's own use case."),
        ("CI/CD usage data gathering and comparative analysis",
            "Gather data around how customers use GitLab CI/CD and compare it with other CI tools, to steer services and documentation."),
        ("GitLab Certification Program",
            "Develop the GitLab Certification Program: exams, certificates that anyone can verify, expiry and renewal."),
    ];

    private const string SowTemplateBody =
        """
        ## Customer
        <!-- The customer's organisation and its subscription tier (free/CE, premium, ultimate). -->

        ## Tier
        <!-- free, premium or ultimate; say whether the customer is upgrading from CE. -->

        ## Offerings
        <!-- Which offerings of the catalog are wanted (Discovery, training, migration, integration …). -->

        ## Goals
        <!-- What the customer wants to achieve: short, mid and long term. -->

        ## Environment
        <!-- Deployment, network, VMs, the systems to integrate or migrate from. -->

        ## Timeline
        <!-- When the work should start and end; fixed dates only once agreement and P.O. are in. -->

        ## Contacts
        <!-- Who at the customer we work with: names, roles, e-mail addresses. -->
        """;

    public async Task SeedAsync(CancellationToken ct)
    {
        await IssueSearch.EnsureAsync(db, ct);

        var keys = await db.Labels.Select(l => l.Key).ToListAsync(ct);
        foreach (var (name, color, description) in SeedLabels.Where(s => !keys.Contains(LabelRules.KeyOf(s.Name))))
        {
            db.Labels.Add(labels.New(name, color, description));
        }
        await db.SaveChangesAsync(ct);

        if (!await db.IssueTemplates.AnyAsync(t => t.Slug == SowTemplate, ct))
        {
            db.IssueTemplates.Add(new IssueTemplate
            {
                Id = Guid.NewGuid(),
                Slug = SowTemplate,
                Name = "SOW request",
                Type = IssueType.SowRequest,
                Body = SowTemplateBody,
                RequiredSections = "Customer\nTier\nOfferings\nGoals\nEnvironment\nTimeline\nContacts",
                Labels = "stage::requested",
                UpdatedAt = clock.GetUtcNow(),
            });
        }

        var all = await db.Labels.ToDictionaryAsync(l => l.Key, ct);
        await AddBoardAsync("Professional Services", null, ["workflow::planned", "workflow::in-progress", "workflow::review"], all, ct);
        await AddBoardAsync("SOW pipeline", "type=sow-request",
            EngagementStage.All.Where(EngagementStage.IsOpen).Select(s => "stage::" + s).ToArray(), all, ct);

        var existing = await db.Issues.Where(i => i.Type == IssueType.StrategicInitiative).Select(i => i.Title).ToListAsync(ct);
        var rank = await db.Issues.MaxAsync(i => (long?)i.Rank, ct) ?? 0;
        var now = clock.GetUtcNow();
        foreach (var (title, description) in Initiatives.Where(i => !existing.Contains(i.Title)))
        {
            rank += IssueService.RankGap;
            db.Issues.Add(new Issue
            {
                Title = title,
                Description = description,
                DescriptionHtml = markdown.Render(description),
                Type = IssueType.StrategicInitiative,
                AuthorName = "system",
                Rank = rank,
                CreatedAt = now,
                UpdatedAt = now,
                Labels = [new IssueLabel { LabelId = all["workflow::in-progress"].Id }],
            });
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task AddBoardAsync(string name, string? filter, string[] columns, Dictionary<string, Label> all, CancellationToken ct)
    {
        if (await db.Boards.AnyAsync(b => b.Name == name, ct))
        {
            return;
        }
        var board = new IssueBoard { Id = Guid.NewGuid(), Name = name, Filter = filter, CreatedAt = clock.GetUtcNow() };
        board.Columns = columns.Where(all.ContainsKey)
            .Select((c, i) => new BoardColumn { Id = Guid.NewGuid(), BoardId = board.Id, LabelId = all[c].Id, Position = i }).ToList();
        db.Boards.Add(board);
    }
}
