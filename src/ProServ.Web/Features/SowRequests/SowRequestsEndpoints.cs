using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.SowRequests;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.SowRequests;

/// The body of a SOW request. Goals, environment, timeline and contacts may be text, lists or objects.
public sealed record SowRequestBody(
    Guid? CustomerId, IReadOnlyList<Guid>? OfferingIds, JsonElement? Goals, JsonElement? Environment, JsonElement? Timeline,
    JsonElement? Contacts, JsonElement? UseCase, string? Title)
{
    public SowRequestInput ToInput() => new(CustomerId, OfferingIds, JsonInput.Text(Goals), JsonInput.Environment(Environment),
        JsonInput.Text(Timeline), JsonInput.Contacts(Contacts), JsonInput.Text(UseCase), Title);
}

public sealed record ScopingSignOffBody(string? Notes);

internal static class SowRequestsEndpoints
{
    public static void MapSowRequests(this IEndpointRouteBuilder app)
    {
        var g = app.MapApi("/sow-requests", "SOW requests");
        g.MapGet("/", List).WithName("ListSowRequests");
        g.MapGet("/{id:guid}", Get).WithName("GetSowRequest");
        g.MapPost("/", Create).WithName("CreateSowRequest")
            .WithSummary("Files a SOW request from the template; 422 lists every missing field and names the rule that refuses it. ?dryRun=true answers every rule that would fire and saves nothing.")
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapGet("/template", Template).WithName("GetSowRequestTemplate");
        g.MapGet("/template/versions", TemplateVersions).WithName("ListSowRequestTemplateVersions");
        g.MapPut("/template", UpdateTemplate).WithName("UpdateSowRequestTemplate")
            .WithSummary("Saves the SOW request template as a new version (administrators).")
            .RequireAuthorization(AuthorizationPolicies.Administrator);

        var e = app.MapApi("/engagements", "SOW requests");
        e.MapGet("/{id:guid}/sow-request", ForEngagement).WithName("GetEngagementSowRequest");
        e.MapGet("/{id:guid}/scoping", Scoping).WithName("ListScopingTasks");
        e.MapPost("/{id:guid}/scoping/{taskId:guid}/complete", CompleteScoping).WithName("CompleteScopingTask")
            .WithSummary("Signs a scoping task off; training-only scoping is signed off by a PS manager in the scoping stage.")
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
    }

    private static async Task<Ok<PageDto<SowRequestDto>>> List(ClaimsPrincipal user, SowRequestService requests, Guid? customerId,
        int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<SowRequestDto>.From(await requests.ListAsync(user.Actor(), new SowRequestQuery(customerId),
            ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Ok<SowRequestDto>> Get(Guid id, ClaimsPrincipal user, SowRequestService requests, CancellationToken ct) =>
        TypedResults.Ok(await requests.GetAsync(user.Actor(), id, ct));

    private static async Task<Results<Created<SowRequestDto>, Ok<SowRequestCheck>>> Create(SowRequestBody body, ClaimsPrincipal user,
        SowRequestService requests, bool? dryRun, CancellationToken ct)
    {
        if (dryRun == true)
        {
            return TypedResults.Ok(await requests.CheckAsync(user.Actor(), body.ToInput(), ct));
        }
        var created = await requests.CreateAsync(user.Actor(), body.ToInput(), ct);
        return TypedResults.Created($"/api/v1/sow-requests/{created.Id}", created);
    }

    private static async Task<Ok<SowRequestTemplateDto>> Template(SowRequestService requests, CancellationToken ct) =>
        TypedResults.Ok(await requests.GetTemplateAsync(ct));

    private static async Task<Ok<IReadOnlyList<SowRequestTemplateDto>>> TemplateVersions(SowRequestService requests, CancellationToken ct) =>
        TypedResults.Ok(await requests.TemplateVersionsAsync(ct));

    private static async Task<Ok<SowRequestTemplateDto>> UpdateTemplate(SowTemplateInput input, ClaimsPrincipal user, SowRequestService requests, CancellationToken ct) =>
        TypedResults.Ok(await requests.UpdateTemplateAsync(user.Actor(), input, ct));

    private static async Task<Results<Ok<SowRequestDto>, NotFound>> ForEngagement(Guid id, ClaimsPrincipal user, SowRequestService requests, CancellationToken ct) =>
        await requests.GetForEngagementAsync(user.Actor(), id, ct) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound();

    private static async Task<Ok<IReadOnlyList<ScopingTaskDto>>> Scoping(Guid id, ClaimsPrincipal user, ScopingService scoping, CancellationToken ct) =>
        TypedResults.Ok(await scoping.ListAsync(user.Actor(), id, ct));

    private static async Task<Ok<ScopingTaskDto>> CompleteScoping(Guid id, Guid taskId, ScopingSignOffBody? body, ClaimsPrincipal user,
        ScopingService scoping, CancellationToken ct) =>
        TypedResults.Ok(await scoping.CompleteAsync(user.Actor(), id, taskId, body?.Notes, ct));
}
