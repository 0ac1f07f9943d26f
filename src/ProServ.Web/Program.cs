using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using ProServ.Core;
using ProServ.Core.Data;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;
using ProServ.Web.Features.Agreements;
using ProServ.Web.Features.Auth;
using ProServ.Web.Features.Board;
using ProServ.Web.Features.Catalog;
using ProServ.Web.Features.Customers;
using ProServ.Web.Features.Engagements;
using ProServ.Web.Features.Quotes;
using ProServ.Web.Features.Scheduling;
using ProServ.Web.Features.SowDocuments;
using ProServ.Web.Features.SowRequests;
using ProServ.Web.Features.Users;
using ProServ.Web.Infrastructure;
using ProServ.Web.Pages.Engagements;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var (provider, connectionString) = Startup.DatabaseSettings(builder.Configuration, builder.Environment);

builder.Services.AddProServDatabase(provider, connectionString);
builder.Services.AddProServCore();
builder.Services.AddSowFileStorage(builder.Configuration, builder.Environment);
builder.Services.AddProServForwardedHeaders(builder.Configuration);
builder.Services.AddProServSecurityHeaders();
builder.Services.AddDataProtection().SetApplicationName("ProServ").PersistKeysToDbContext<ProServDbContext>();

// Identity, cookies and sessions, API tokens, sign-in rate limits and MFA: see Auth/AuthSetup.cs.
builder.AddProServAuth();

builder.Services.AddProServCompression();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNameCaseInsensitive = true);
builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
{
    doc.Info.Title = "ProServ API";
    doc.Info.Description = "Runs a Professional Services practice: customers, catalog, engagements. Authenticate with 'Authorization: Bearer <token>' (POST /api/v1/auth/tokens).";
    return Task.CompletedTask;
}));
builder.Services.AddRazorPages(o =>
{
    o.Conventions.AuthorizeFolder("/");
    o.Conventions.AllowAnonymousToPage("/Account/SignIn");
    o.Conventions.AllowAnonymousToPage("/Account/Denied");
    o.Conventions.AllowAnonymousToPage("/Setup");
    o.Conventions.AuthorizeFolder("/Admin", AuthorizationPolicies.Administrator);
    // Boards and labels are the team's workspace; a customer contact follows its own issues (/board/issues) instead.
    foreach (var page in new[] { "/Board/Index", "/Board/Board", "/Board/Settings", "/Board/Move", "/Board/Labels", "/Board/Label" })
    {
        o.Conventions.AuthorizePage(page, AuthorizationPolicies.Staff);
    }
});
builder.Services.AddEngagementPage();

var app = builder.Build();

// First, so that everything after it (antiforgery, Secure cookies, HSTS, redirects, logs) sees the browser's https.
app.UseForwardedHeaders();
// Next, so problem details written by the exception handler are compressed too.
app.UseProServCompression();
app.UseExceptionHandler();
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.UseProServSecurityHeaders();
app.UseStaticFiles();
app.UseRouting();
app.UseProServAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapGet("/healthz", async (ProServDbContext db, CancellationToken ct) =>
        await db.Database.CanConnectAsync(ct)
            ? Results.Text("ok")
            : Results.Problem(statusCode: 503, title: "Database unavailable", detail: "The database does not answer."))
    .AllowAnonymous().ExcludeFromDescription();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.MapScalarApiReference("/api/reference", (o, http) => o.WithTitle("ProServ API").WithNonce(http.CspNonce()).DisableDefaultFonts().WithOpenApiRoutePattern("/openapi/{documentName}.json"));
app.MapAuth();
app.MapCustomers();
app.MapCatalog();
app.MapEngagements();
app.MapUsers();
app.MapBoard();
app.MapSowDocuments();
app.MapSowRequests();
app.MapQuotes();
app.MapAgreements();
app.MapScheduling();
app.MapRazorPages();

await app.InitialiseAsync();
await app.RunAsync();

public partial class Program;
