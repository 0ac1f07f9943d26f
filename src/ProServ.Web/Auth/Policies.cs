using Microsoft.AspNetCore.Authorization;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Auth;

/// Every role check is one of these policies, used by pages and API endpoints alike.
public static class Policies
{
    /// Any member of the team (every role but customer contact).
    public const string Staff = "staff";
    public const string Administrator = "administrator";
    /// Create and edit customers and engagements.
    public const string ManageAccounts = "manage-accounts";
    public const string ManageCatalog = "manage-catalog";

    public static void Add(AuthorizationOptions o)
    {
        o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        o.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(Role.Staff));
        o.AddPolicy(Administrator, p => p.RequireAuthenticatedUser().RequireRole(Role.Administrator));
        o.AddPolicy(ManageAccounts, p => p.RequireAuthenticatedUser().RequireRole(
            Role.Administrator, Role.AccountExecutive, Role.PsManager, Role.PsEngineer, Role.DirectorCustomerSuccess));
        o.AddPolicy(ManageCatalog, p => p.RequireAuthenticatedUser().RequireRole(Role.Administrator));
    }
}
