using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Eligibility;
using ProServ.Web.Auth;
using ProServ.Web.Pages.Engagements;

namespace ProServ.Web.Pages.Eligibility;

/// The scoping steps the eligibility rules ask for, signed off by the account team.
public sealed class EngagementScopingSection(ScopingService scoping) : IEngagementSection
{
    public string Anchor => "scoping";
    public int Order => 200;
    public string Partial => "/Pages/Eligibility/_EngagementScoping.cshtml";
    public string? Policy => null;
    public IReadOnlyCollection<string> Handlers => ["SignOff"];

    public async Task<object> LoadAsync(EngagementSectionContext context, CancellationToken ct) =>
        new EngagementScopingView(context,
            await scoping.ListAsync(context.Actor, context.EngagementId, ct),
            await context.IsAllowedAsync(AuthorizationPolicies.ManageAccounts));

    public async Task<IActionResult> HandleAsync(EngagementSectionContext context, string handler, CancellationToken ct)
    {
        context.Handling("scoping");
        var taskId = Guid.TryParse(context.Request.Form["taskId"], out var id) ? id : Guid.Empty;
        string? notes = context.Request.Form["notes"];
        await scoping.CompleteAsync(context.Actor, context.EngagementId, taskId, notes, ct);
        return context.Done("Scoping signed off.", Anchor);
    }
}

public sealed record EngagementScopingView(EngagementSectionContext Context, IReadOnlyList<ScopingTaskDto> Tasks, bool CanManage);
