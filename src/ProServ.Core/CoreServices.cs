using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProServ.Core.Data;
using ProServ.Core.Features.Agreements;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Quotes;
using ProServ.Core.Features.Scheduling;
using ProServ.Core.Features.SowDocuments;
using ProServ.Core.Features.SowRequests;
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
        services.AddScoped<ICustomerDirectory, CustomerDirectory>();
        services.AddScoped<SetupService>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<IUserTokenRevoker, ApiTokenRevoker>();
        services.AddScoped<UserSessionService>();
        services.AddScoped<AccountService>();
        services.AddScoped<MfaService>();
        services.AddScoped<Seeder>();
        services.TryAddSingleton<MarkdownRenderer>();
        services.AddScoped<LabelService>();
        services.AddScoped<EngagementStageLink>();
        services.AddScoped<IssueCommentService>();
        services.AddScoped<IssueCommentService>();
        services.AddScoped<IssueService>();
        services.AddScoped<BoardService>();
        services.AddScoped<IssueTemplateService>();
        services.AddScoped<BoardColumnQuery>();
        services.AddScoped<SavedViewService>();
        services.AddScoped<BoardSeeder>();
        services.AddScoped<IEngagementStageObserver, BoardStageSync>();
        services.AddSowPipeline();
        services.AddSowDocuments();
        return services;
    }

    /// The SOW pipeline: eligibility rules (also as stage-transition guards), requests, quotes, agreements, bookings.
    public static IServiceCollection AddSowPipeline(this IServiceCollection services)
    {
        services.AddOptions<FileStorageOptions>();
        services.AddScoped<IUseCaseSource, SowRequestUseCaseSource>();
        services.AddScoped<EligibilityPolicy>();
        services.AddScoped<IEngagementTransitionGuard>(sp => sp.GetRequiredService<EligibilityPolicy>());
        services.AddScoped<IEngagementCreationGuard>(sp => sp.GetRequiredService<EligibilityPolicy>());
        services.AddScoped<BookingGate>();
        services.AddScoped<IEngagementTransitionGuard>(sp => sp.GetRequiredService<BookingGate>());
        services.AddScoped<ScopingService>();
        services.AddScoped<SowRequestTemplateService>();
        services.AddScoped<SowRequestEvaluator>();
        services.AddScoped<SowRequestService>();
        services.AddScoped<QuoteDrafting>();
        services.AddScoped<QuoteService>();
        services.AddSingleton<FileStore>();
        services.AddScoped<AgreementService>();
        services.AddScoped<BookingService>();
        services.AddScoped<ISowQuoteSource, QuoteSowSource>();
        services.AddScoped<ISowScopeSource, SowRequestScopeSource>();
        return services;
    }

    /// SOW documents: templates, generation, mark-ups. The quotes and SOW-request features replace the two
    /// sources (ISowQuoteSource, ISowScopeSource) with their own registrations; these defaults supply nothing.
    private static void AddSowDocuments(this IServiceCollection services)
    {
        services.AddOptions<SowDocumentOptions>().Configure<IServiceProvider>((o, sp) =>
            sp.GetService<IConfiguration>()?.GetSection(SowDocumentOptions.Section).Bind(o));
        services.TryAddScoped<ISowQuoteSource, NoSowQuoteSource>();
        services.TryAddScoped<ISowScopeSource, NoSowScopeSource>();
        services.TryAddSingleton<IPdfRenderer, SofficePdfRenderer>();
        services.AddScoped<SowContentBuilder>();
        services.AddScoped<SowTemplateService>();
        services.AddScoped<SowDocumentService>();
    }
}
