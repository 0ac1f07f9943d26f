using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.SowRequests;

public sealed record SowEnvironmentInput(string? Vcs, string? Ci, string? Authentication, string? Users, string? Notes = null);

public sealed record SowRequestInput(
    Guid? CustomerId, IReadOnlyList<Guid>? OfferingIds, string? Goals, SowEnvironmentInput? Environment, string? Timeline,
    IReadOnlyList<SowContact>? Contacts, string? UseCase, string? Title = null);

public sealed record SowRequestTemplateDto(int Version, IReadOnlyList<TemplateField> Fields, DateTimeOffset? CreatedAt, string? CreatedByName, string? Note);

public sealed record SowTemplateInput(IReadOnlyList<TemplateField>? Fields, int? Version, string? Note);

public sealed record SowEnvironmentDto(string? Vcs, string? Ci, string? Authentication, string? Users, string? Notes);

public sealed record SowRequestDto(
    Guid Id, Guid EngagementId, Guid CustomerId, string CustomerName, string Tier, string Stage, int TemplateVersion,
    IReadOnlyList<EngagementOfferingDto> Offerings, string Goals, SowEnvironmentDto Environment, string Timeline,
    IReadOnlyList<SowContact> Contacts, string? UseCase, bool TrainingOnly, IReadOnlyList<string> Labels,
    IReadOnlyList<ScopingTaskDto> ScopingTasks, DateTimeOffset CreatedAt, string CreatedByName);

/// What a request would trigger: the rules that refuse it, the fields it lacks, and what acceptance would do.
public sealed record SowRequestCheck(
    bool Accepted, IReadOnlyList<RuleFinding> Rules, IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<string> ScopingRequired, IReadOnlyList<string> Labels, int TemplateVersion);

public sealed record SowRequestQuery(Guid? CustomerId = null);
