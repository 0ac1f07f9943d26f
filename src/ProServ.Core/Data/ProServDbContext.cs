using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ProServ.Core.Features.Agreements;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Outbox;
using ProServ.Core.Features.Quotes;
using ProServ.Core.Features.Scheduling;
using ProServ.Core.Features.SowDocuments;
using ProServ.Core.Features.SowRequests;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Data;

/// The one model of ProServ. Each database provider has its own subclass so that each gets its own generated migrations.
public abstract class ProServDbContext(DbContextOptions options)
    : IdentityDbContext<ProServUser, ProServRole, Guid>(options), IDataProtectionKeyContext
{
    /// Data Protection keys live in the database so that every web node can read every other node's cookies.
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Tier> Tiers => Set<Tier>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerContact> CustomerContacts => Set<CustomerContact>();
    public DbSet<Offering> Offerings => Set<Offering>();
    public DbSet<CatalogPackage> CatalogPackages => Set<CatalogPackage>();
    public DbSet<Engagement> Engagements => Set<Engagement>();
    public DbSet<EngagementOffering> EngagementOfferings => Set<EngagementOffering>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<SetupToken> SetupTokens => Set<SetupToken>();
    public DbSet<Issue> Issues => Set<Issue>();
    public DbSet<IssueLabel> IssueLabels => Set<IssueLabel>();
    public DbSet<IssueAssignee> IssueAssignees => Set<IssueAssignee>();
    public DbSet<IssueComment> IssueComments => Set<IssueComment>();
    public DbSet<CommentMention> CommentMentions => Set<CommentMention>();
    public DbSet<IssueActivity> IssueActivities => Set<IssueActivity>();
    public DbSet<Label> Labels => Set<Label>();
    public DbSet<IssueBoard> Boards => Set<IssueBoard>();
    public DbSet<BoardColumn> BoardColumns => Set<BoardColumn>();
    public DbSet<IssueTemplate> IssueTemplates => Set<IssueTemplate>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<SowTemplate> SowTemplates => Set<SowTemplate>();
    public DbSet<SowDocumentVersion> SowDocumentVersions => Set<SowDocumentVersion>();
    public DbSet<SowChange> SowChanges => Set<SowChange>();

    // The SOW pipeline (issue 4): requests, eligibility scoping, quotes, agreements, bookings.
    public DbSet<SowRequestTemplate> SowRequestTemplates => Set<SowRequestTemplate>();
    public DbSet<SowRequest> SowRequests => Set<SowRequest>();
    public DbSet<ScopingTask> ScopingTasks => Set<ScopingTask>();
    public DbSet<Quote> Quotes => Set<Quote>();
    public DbSet<QuoteLine> QuoteLines => Set<QuoteLine>();
    public DbSet<Agreement> Agreements => Set<Agreement>();
    public DbSet<PurchaseOrder> PurchaseOrders => Set<PurchaseOrder>();
    public DbSet<Booking> Bookings => Set<Booking>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ProServDbContext).Assembly);
    }
}

public sealed class SqliteProServDbContext(DbContextOptions<SqliteProServDbContext> options) : ProServDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite has no date-time type; storing UTC ticks keeps ordering and comparison in SQL.
        builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresProServDbContext(DbContextOptions<PostgresProServDbContext> options) : ProServDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Full-text search over issues (SQLite's FTS5 table is created at start-up: EF does not model virtual tables).
        IssueSearch.ConfigurePostgres(builder);
    }
}
