using Microsoft.AspNetCore.Authorization;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Auth;

/// Every role check is one of these policies, used by pages and API endpoints alike.
public static class AuthorizationPolicies
{
    /// Any member of the team (every role but customer contact).
    public const string Staff = "staff";
    public const string Administrator = "administrator";
    /// Create and edit customers and engagements.
    public const string ManageAccounts = "manage-accounts";
    public const string ManageCatalog = "manage-catalog";
    /// Approve or reject quote discounts: the Director of Customer Success only (handbook: "Any discounts will need
    /// approval from Director of Customer Success").
    public const string ApproveDiscounts = "approve-discounts";

    public static void Add(AuthorizationOptions o)
    {
        o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        o.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(Role.Staff));
        o.AddPolicy(Administrator, p => p.RequireAuthenticatedUser().RequireRole(Role.Administrator));
        o.AddPolicy(ManageAccounts, p => p.RequireAuthenticatedUser().RequireRole(
            Role.Administrator, Role.AccountExecutive, Role.PsManager, Role.PsEngineer, Role.DirectorCustomerSuccess));
        o.AddPolicy(ManageCatalog, p => p.RequireAuthenticatedUser().RequireRole(Role.Administrator));
        o.AddPolicy(ApproveDiscounts, p => p.RequireAuthenticatedUser().RequireRole(Role.DirectorCustomerSuccess));
    }
}
