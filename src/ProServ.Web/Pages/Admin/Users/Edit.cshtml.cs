using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Admin.Users;

public sealed class EditModel(UserService users, CustomerService customers, UserSessionService sessions) : ProServPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty]
    public EditUserForm Input { get; set; } = new();

    public UserDto Person { get; private set; } = null!;
    public IReadOnlyList<UserSessionDto> Sessions { get; private set; } = [];
    public (IReadOnlyList<UserSessionDto> Sessions, Guid? Current, string? Handler) SessionTable => (Sessions, IsSelf ? User.SessionId() : null, "EndSession");
    public IReadOnlyList<CustomerDto> Customers { get; private set; } = [];
    public bool IsSelf => Actor.UserId == Id;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = new EditUserForm { Name = Person.Name, Roles = [.. Person.Roles], CustomerId = Person.CustomerId, IsActive = Person.IsActive };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!ModelState.IsValid) return Page();
        var customerId = Input.Roles.Contains(Role.CustomerContact) ? Input.CustomerId : null;
        var saved = await users.UpdateAsync(Actor, Id, new UserPatch(
            Name: Input.Name ?? "", Roles: Input.Roles, CustomerId: customerId, IsActive: Input.IsActive,
            Password: string.IsNullOrEmpty(Input.Password) ? null : Input.Password), ct);
        Flash($"User {saved.Name} saved{(Input.Password is { Length: > 0 } ? " with a new password" : "")}.");
        return Redirect($"/admin/users/{Id}");
    }

    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var saved = await users.UpdateAsync(Actor, Id, new UserPatch(Unlock: true), ct);
        Flash($"{saved.Name} is unlocked and can sign in again.");
        return Redirect($"/admin/users/{Id}");
    }

    public async Task<IActionResult> OnPostEndSessionAsync(Guid sessionId, CancellationToken ct)
    {
        await sessions.EndAsync(Actor, sessionId, ct);
        Flash("Session ended.");
        return Redirect($"/admin/users/{Id}");
    }

    public async Task<IActionResult> OnPostEndAllSessionsAsync(CancellationToken ct)
    {
        var ended = await sessions.EndAllAsync(Actor, Id, IsSelf ? User.SessionId() : null, ct);
        Flash($"{ended} session(s) ended.");
        return Redirect($"/admin/users/{Id}");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Person = await users.GetAsync(Id, ct);
        Sessions = await sessions.ListAsync(Actor, Id, ct);
        Customers = await UserChoices.CustomersAsync(customers, Actor, ct);
    }

    public sealed class EditUserForm
    {
        public string? Name { get; set; }
        public List<string> Roles { get; set; } = [];
        public Guid? CustomerId { get; set; }
        public bool IsActive { get; set; }
        public string? Password { get; set; }
    }
}
