namespace ProServ.Core.Features.Users;

/// The roles of the practice. A user may hold several; a customer contact holds only that one and is bound to one customer.
public static class Role
{
    public const string Administrator = "administrator";
    public const string AccountExecutive = "account-executive";
    public const string PsEngineer = "ps-engineer";
    public const string PsManager = "ps-manager";
    public const string DirectorCustomerSuccess = "director-customer-success";
    public const string CustomerContact = "customer-contact";

    public static IReadOnlyList<string> All { get; } =
        [Administrator, AccountExecutive, PsEngineer, PsManager, DirectorCustomerSuccess, CustomerContact];

    public static IReadOnlyList<string> Staff { get; } =
        [Administrator, AccountExecutive, PsEngineer, PsManager, DirectorCustomerSuccess];

    public static string Describe(string role) => role switch
    {
        Administrator => "Administrator — users, roles, catalog, templates, integrations",
        AccountExecutive => "Account executive — requests SOWs, supplies use cases",
        PsEngineer => "PS engineer — scopes, writes SOWs and plans, delivers",
        PsManager => "PS manager — assigns and schedules specialists",
        DirectorCustomerSuccess => "Director of Customer Success — approves discounts",
        CustomerContact => "Customer contact — sees only their own organisation",
        _ => role,
    };
}
