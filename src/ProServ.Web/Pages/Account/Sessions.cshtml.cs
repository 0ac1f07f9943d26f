using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Account;

/// The browsers signed in as this person; any can be ended, and ends at once.
public sealed class SessionsModel(UserSessionService sessions) : ProServPageModel
{
    public IReadOnlyList<UserSessionDto> Sessions { get; private set; } = [];
    public Guid? Current => User.SessionId();

    public async Task OnGetAsync(CancellationToken ct) => Sessions = await sessions.ListAsync(Actor, Actor.UserId ?? Guid.Empty, ct);

    public async Task<IActionResult> OnPostEndAsync(Guid sessionId, CancellationToken ct)
    {
        await sessions.EndAsync(Actor, sessionId, ct);
        if (sessionId == Current) return Redirect("/account/sign-in");
        Flash("Session ended.");
        return Redirect("/account/sessions");
    }

    public async Task<IActionResult> OnPostEndOthersAsync(CancellationToken ct)
    {
        var ended = await sessions.EndAllAsync(Actor, Actor.UserId ?? Guid.Empty, Current, ct);
        Flash($"{ended} other session(s) ended.");
        return Redirect("/account/sessions");
    }
}
