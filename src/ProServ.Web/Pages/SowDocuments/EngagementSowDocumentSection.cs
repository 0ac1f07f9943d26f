using ProServ.Web.Pages.Engagements;

namespace ProServ.Web.Pages.SowDocuments;

/// The way to the engagement's SOW document: its versions, downloads and the customer's mark-up.
public sealed class EngagementSowDocumentSection : IEngagementSection
{
    public string Anchor => "sow-document";
    public int Order => 400;
    public string Partial => "/Pages/SowDocuments/_EngagementSowDocument.cshtml";
    public string? Policy => null;

    public Task<object> LoadAsync(EngagementSectionContext context, CancellationToken ct) =>
        Task.FromResult<object>(new EngagementSowDocumentView(context.EngagementId));
}

public sealed record EngagementSowDocumentView(Guid EngagementId);
