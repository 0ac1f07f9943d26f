using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.SowRequests;

/// When a field of the SOW request template must be filled in.
public static class FieldRequirement
{
    public const string Always = "always";
    public const string TrainingOnly = "training-only";
    public const string Optional = "optional";

    public static IReadOnlyList<string> All { get; } = [Always, TrainingOnly, Optional];
}

/// The fields a SOW request can carry; the template decides their labels, help and whether they are required.
public static class SowField
{
    public const string Customer = "customerId";
    public const string Offerings = "offeringIds";
    public const string Goals = "goals";
    public const string EnvironmentVcs = "environment.vcs";
    public const string EnvironmentCi = "environment.ci";
    public const string EnvironmentAuthentication = "environment.authentication";
    public const string EnvironmentUsers = "environment.users";
    public const string Timeline = "timeline";
    public const string Contacts = "contacts";
    public const string UseCase = "useCase";

    public static IReadOnlyList<string> All { get; } =
        [Customer, Offerings, Goals, EnvironmentVcs, EnvironmentCi, EnvironmentAuthentication, EnvironmentUsers, Timeline, Contacts, UseCase];

    /// Fields no template may make optional: without them there is nothing to judge.
    public static IReadOnlyList<string> AlwaysRequired { get; } = [Customer, Offerings];
}

public sealed record TemplateField(string Key, string Label, string Help, string Required);

/// One version of the SOW request template. Administrators edit it; every edit is a new version and requests
/// remember the version they were made with.
public sealed class SowRequestTemplate
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    /// The fields as JSON (a list of TemplateField).
    public required string Fields { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedById { get; set; }
    public string CreatedByName { get; set; } = "";
    public string? Note { get; set; }

    public static IReadOnlyList<TemplateField> DefaultFields { get; } =
    [
        new(SowField.Customer, "Customer", "The organisation the SOW is for; its subscription tier decides what may be sold.", FieldRequirement.Always),
        new(SowField.Offerings, "Offerings wanted", "The catalog offerings the customer asks for.", FieldRequirement.Always),
        new(SowField.Goals, "Business goals", "What the customer wants to achieve, short, mid and long term.", FieldRequirement.Always),
        new(SowField.EnvironmentVcs, "Version control in use", "e.g. GitHub Enterprise, Bitbucket Server, SVN.", FieldRequirement.Always),
        new(SowField.EnvironmentCi, "CI in use", "e.g. Jenkins, Bamboo, GitHub Actions.", FieldRequirement.Always),
        new(SowField.EnvironmentAuthentication, "Authentication systems", "e.g. Active Directory over LDAP, Okta over SAML or OIDC.", FieldRequirement.Always),
        new(SowField.EnvironmentUsers, "Number of users", "How many people will use GitLab.", FieldRequirement.Always),
        new(SowField.Timeline, "Desired timeline", "When the customer wants the work done, and any hard dates.", FieldRequirement.Always),
        new(SowField.Contacts, "Customer contacts", "Who we deal with at the customer (name and e-mail).", FieldRequirement.Always),
        new(SowField.UseCase, "Use case for training only", "Why training alone: e.g. low licence utilisation and a churn risk, or expansion into new teams and business units.", FieldRequirement.TrainingOnly),
    ];
}

public sealed record SowContact(string? Name, string? Email, string? Role);

/// A request for a Statement of Work, as the account executive filed it. It created the engagement and carries
/// the board labels until the board takes them over.
public sealed class SowRequest : ICustomerOwned<SowRequest>
{
    public static Expression<Func<SowRequest, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public Guid EngagementId { get; set; }
    public Engagement? Engagement { get; set; }
    public int TemplateVersion { get; set; }
    public string Goals { get; set; } = "";
    public string? EnvironmentVcs { get; set; }
    public string? EnvironmentCi { get; set; }
    public string? EnvironmentAuthentication { get; set; }
    public string? EnvironmentUsers { get; set; }
    public string? EnvironmentNotes { get; set; }
    public string Timeline { get; set; } = "";
    /// JSON list of SowContact.
    public string Contacts { get; set; } = "[]";
    public string? UseCase { get; set; }
    public bool TrainingOnly { get; set; }
    /// Board labels, one per line: type::sow, offering::<slug>…, tier::<tier>, stage::requested.
    public string Labels { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedById { get; set; }
    public string CreatedByName { get; set; } = "";

    public IReadOnlyList<string> LabelList => Labels.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class SowRequestTemplateConfiguration : IEntityTypeConfiguration<SowRequestTemplate>
{
    public void Configure(EntityTypeBuilder<SowRequestTemplate> b)
    {
        b.ToTable("SowRequestTemplates");
        b.HasIndex(t => t.Version).IsUnique();
        b.Property(t => t.Fields).HasMaxLength(20000);
        b.Property(t => t.CreatedByName).HasMaxLength(200);
        b.Property(t => t.Note).HasMaxLength(2000);
    }
}

internal sealed class SowRequestConfiguration : IEntityTypeConfiguration<SowRequest>
{
    public void Configure(EntityTypeBuilder<SowRequest> b)
    {
        b.ToTable("SowRequests");
        b.HasOne(r => r.Customer).WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(r => r.Engagement).WithMany().HasForeignKey(r => r.EngagementId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => r.EngagementId).IsUnique();
        b.HasIndex(r => new { r.CustomerId, r.CreatedAt });
        b.Property(r => r.Goals).HasMaxLength(8000);
        b.Property(r => r.EnvironmentVcs).HasMaxLength(1000);
        b.Property(r => r.EnvironmentCi).HasMaxLength(1000);
        b.Property(r => r.EnvironmentAuthentication).HasMaxLength(1000);
        b.Property(r => r.EnvironmentUsers).HasMaxLength(200);
        b.Property(r => r.EnvironmentNotes).HasMaxLength(8000);
        b.Property(r => r.Timeline).HasMaxLength(2000);
        b.Property(r => r.Contacts).HasMaxLength(8000);
        b.Property(r => r.UseCase).HasMaxLength(8000);
        b.Property(r => r.Labels).HasMaxLength(4000);
        b.Property(r => r.CreatedByName).HasMaxLength(200);
        b.Ignore(r => r.LabelList);
    }
}
