using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ProServ.Web.Pages.Agreements;
using ProServ.Web.Pages.Eligibility;
using ProServ.Web.Pages.Quotes;
using ProServ.Web.Pages.Scheduling;
using ProServ.Web.Pages.SowDocuments;
using ProServ.Web.Pages.SowRequests;

namespace ProServ.Web.Pages.Engagements;

public static class EngagementPage
{
    /// The engagement page and the sections features contribute to it.
    public static IServiceCollection AddEngagementPage(this IServiceCollection services)
    {
        // The SOW pipeline's engagement page was /sow/engagements/{id}; its links and forms keep working on the one
        // engagement page, while links generated from now on use /engagements/{id}.
        services.Configure<RazorPagesOptions>(o => o.Conventions.AddPageRouteModelConvention("/Engagements/Details", model =>
            model.Selectors.Add(new SelectorModel
            {
                AttributeRouteModel = new AttributeRouteModel { Template = "sow/engagements/{id:guid}", SuppressLinkGeneration = true },
            })));

        // One line per feature that shows something on the engagement page.
        services.AddScoped<IEngagementSection, EngagementRequestSection>();
        services.AddScoped<IEngagementSection, EngagementScopingSection>();
        services.AddScoped<IEngagementSection, EngagementQuotesSection>();
        services.AddScoped<IEngagementSection, EngagementSowDocumentSection>();
        services.AddScoped<IEngagementSection, EngagementAgreementSection>();
        services.AddScoped<IEngagementSection, EngagementBookingsSection>();
        return services;
    }
}
