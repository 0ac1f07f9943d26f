using ProServ.Core.Features.Users;

namespace ProServ.Core.Common;

/// Who is acting: a signed-in person, an API token's owner, or the system itself. Every service call takes one,
/// so the same rules apply to the UI, the API and the CLI.
public sealed record Actor(Guid? UserId, string Name, IReadOnlySet<string> Roles, Guid? CustomerId)
{
    public static Actor System { get; } = new(null, "system", new HashSet<string>(StringComparer.Ordinal) { Role.Administrator }, null);

    public bool IsIn(string role) => Roles.Contains(role);

    public bool IsAdministrator => IsIn(Role.Administrator);

    /// A customer contact sees only its own customer's data (CustomerVisibility.VisibleTo applies it).
    public bool IsCustomerContact => IsIn(Role.CustomerContact) && CustomerId is not null;

    public bool IsStaff => Roles.Any(r => r != Role.CustomerContact);
}
