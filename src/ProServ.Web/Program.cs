using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
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
using ProServ.Web.Features.SowDocuments;
using ProServ.Web.Features.Quotes;
using ProServ.Web.Features.Scheduling;
using ProServ.Web.Features.SowRequests;
using ProServ.Web.Features.Users;
using ProServ.Web.Infrastructure;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var (provider, connectionString) = Startup.DatabaseSettings(builder.Configuration, builder.Environment);

builder.Services.AddProServDatabase(provider, connectionString);
builder.Services.AddProServCore();
builder.Services.AddSowFileStorage(builder.Configuration, builder.Environment);
builder.Services.AddDataProtection().SetApplicationName("ProServ").PersistKeysToDbContext<ProServDbContext>();

// Cookies are Secure-only outside development; over plain http://localhost in development they follow the request.
// Auth:SecureCookies=true|false overrides (e.g. false behind a plain-HTTP lab install, at your own risk).
var secureCookies = builder.Configuration.GetValue<bool?>("Auth:SecureCookies") ?? !builder.Environment.IsDevelopment();
var cookieSecurity = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
builder.Services.AddIdentity<ProServUser, ProServRole>(PasswordPolicy.Configure)
    .AddEntityFrameworkStores<ProServDbContext>()
    .AddDefaultTokenProviders()
    .AddClaimsPrincipalFactory<ClaimsFactory>();
builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
builder.Services.ConfigureApplicationCookie(o =>
{
    o.Cookie.Name = "proserv.auth";
    o.Cookie.HttpOnly = true;
    o.Cookie.SecurePolicy = cookieSecurity;
    o.Cookie.SameSite = SameSiteMode.Lax;
    o.LoginPath = "/account/sign-in";
    o.LogoutPath = "/account/sign-out";
    o.AccessDeniedPath = "/account/denied";
    o.ExpireTimeSpan = TimeSpan.FromHours(8);
    o.SlidingExpiration = true;
});
builder.Services.AddAntiforgery(o =>
{
    o.Cookie.Name = "proserv.af";
    o.Cookie.SecurePolicy = cookieSecurity;
    o.Cookie.SameSite = SameSiteMode.Strict;
});

const string SmartScheme = "cookie-or-token";
builder.Services.AddAuthentication()
    .AddPolicyScheme(SmartScheme, "Cookie for pages, API token for /api/v1", o =>
        o.ForwardDefaultSelector = ctx => ctx.Request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase)
            ? ApiTokenAuthenticationHandler.SchemeName
            : IdentityConstants.ApplicationScheme)
    .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
builder.Services.Configure<AuthenticationOptions>(o =>
{
    o.DefaultScheme = SmartScheme;
    o.DefaultAuthenticateScheme = SmartScheme;
    o.DefaultChallengeScheme = SmartScheme;
    o.DefaultForbidScheme = SmartScheme;
});
builder.Services.AddAuthorization(Policies.Add);

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
    o.Conventions.AuthorizeFolder("/Admin", Policies.Administrator);
    // Boards and labels are the team's workspace; a customer contact follows its own issues (/board/issues) instead.
    foreach (var page in new[] { "/Board/Index", "/Board/Board", "/Board/Settings", "/Board/Move", "/Board/Labels", "/Board/Label" })
    {
        o.Conventions.AuthorizePage(page, Policies.Staff);
    }
});


var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.Use(async (ctx, next) =>
{
    ctx.Response.Headers.XContentTypeOptions = "nosniff";
    ctx.Response.Headers.XFrameOptions = "DENY";
    ctx.Response.Headers["Referrer-Policy"] = "same-origin";
    await next();
});
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapGet("/healthz", async (ProServDbContext db, CancellationToken ct) =>
        await db.Database.CanConnectAsync(ct)
            ? Results.Text("ok")
            : Results.Problem(statusCode: 503, title: "Database unavailable", detail: "The database does not answer."))
    .AllowAnonymous().ExcludeFromDescription();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.MapScalarApiReference("/api/reference", o => o.WithTitle("ProServ API").DisableDefaultFonts().WithOpenApiRoutePattern("/openapi/{documentName}.json"));
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
