using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProServ.Core.Data;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;

namespace ProServ.Core;

public static class CoreServices
{
    /// The feature services; the host adds the database (AddProServDatabase) and ASP.NET Core Identity.
    public static IServiceCollection AddProServCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AuditWriter>();
        services.AddScoped<AuditService>();
        services.AddScoped<CustomerService>();
        services.AddScoped<CatalogService>();
        services.AddScoped<EngagementService>();
        services.AddScoped<UserService>();
        services.AddScoped<SetupService>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<Seeder>();
        services.TryAddSingleton<MarkdownRenderer>();
        services.AddScoped<LabelService>();
        services.AddScoped<IssueService>();
        services.AddScoped<BoardService>();
        services.AddScoped<TemplateService>();
        services.AddScoped<SavedViewService>();
        services.AddScoped<BoardSeeder>();
        services.AddScoped<IEngagementStageObserver, BoardStageSync>();
        return services;
    }
}
