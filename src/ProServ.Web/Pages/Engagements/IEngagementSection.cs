using Microsoft.AspNetCore.Mvc;

namespace ProServ.Web.Pages.Engagements;

/// One feature's part of the engagement page (/engagements/{id}). Each feature owns its section — what it loads,
/// the partial that shows it, and the forms it answers — so a new feature adds a section by adding its folder and
/// one line in <see cref="EngagementPage.AddEngagementPage"/>, without editing another feature's page model.
public interface IEngagementSection
{
    /// The card's anchor on the page (#bookings); the section's forms redirect back to it.
    string Anchor { get; }

    /// Place on the page, lowest first; the engagement's summary and stage come before every section, its history after.
    int Order { get; }

    /// The partial that renders the section, in the feature's page folder; its model is what <see cref="LoadAsync"/> returns.
    string Partial { get; }

    /// The authorization policy a user needs to see the section; null when everyone who may see the engagement sees it.
    string? Policy { get; }

    /// The page handlers (?handler=Booking) this section answers, on GET or POST; the page passes them on.
    IReadOnlyCollection<string> Handlers => [];

    Task<object> LoadAsync(EngagementSectionContext context, CancellationToken ct);

    /// Runs one of <see cref="Handlers"/>. A refusal by a service is thrown and shown in place by the page.
    Task<IActionResult> HandleAsync(EngagementSectionContext context, string handler, CancellationToken ct) =>
        throw new InvalidOperationException($"{GetType().Name} answers no handler ({handler}).");
}
