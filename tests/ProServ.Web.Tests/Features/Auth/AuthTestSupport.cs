using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProServ.Core.Data;
using ProServ.Core.Features.Users;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Auth;

/// Counts password verifications while hashing for real, to prove that an unknown account costs a hash too.
public sealed class HashCounter
{
    private int _verifications;
    public int Verifications => Volatile.Read(ref _verifications);
    public void Add() => Interlocked.Increment(ref _verifications);
}

public sealed class CountingHasher(HashCounter counter, IOptions<PasswordHasherOptions> options) : PasswordHasher<ProServUser>(options)
{
    public override PasswordVerificationResult VerifyHashedPassword(ProServUser user, string hashedPassword, string providedPassword)
    {
        counter.Add();
        return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// The app with the counting hasher and otherwise the test defaults (no MFA requirement, high limits).
public sealed class AuthApp() : AppFactory(DatabaseProvider.Sqlite)
{
    public HashCounter Hashes { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Hashes);
            services.AddScoped<IPasswordHasher<ProServUser>, CountingHasher>();
        });
    }
}

/// Low sign-in limits in a window no test outlasts.
public sealed class AccountLimitApp() : AppFactory(DatabaseProvider.Sqlite)
{
    public const int PerAccount = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:RateLimits:PerAccountPerWindow", PerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Auth:RateLimits:WindowSeconds", "3600");
    }
}

public sealed class AddressLimitApp() : AppFactory(DatabaseProvider.Sqlite)
{
    public const int PerAddress = 4;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:RateLimits:PerAddressPerWindow", PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Auth:RateLimits:WindowSeconds", "3600");
    }
}

/// Directors must use MFA (administrators not, so the factory's admin token still comes from a password).
public sealed class MfaApp() : AppFactory(DatabaseProvider.Sqlite)
{
    protected override string? MfaRequiredRoles => "director-customer-success";
}

/// No Auth:MfaRequiredRoles at all: what a fresh install gets.
public sealed class DefaultMfaApp() : AppFactory(DatabaseProvider.Sqlite)
{
    protected override string? MfaRequiredRoles => null;
}

/// A browser-like client on the pages: keeps its cookies, sends the antiforgery token of the page it posts from.
public sealed partial class Browser(HttpClient client) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Client { get; } = client;

    public static Browser For(AppFactory app) => new(app.Anonymous());

    public async Task<string> HtmlAsync(string url)
    {
        var response = await Client.GetAsync(url, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {response.Headers.Location}");
        return html;
    }

    /// GETs <paramref name="formPage"/> for its antiforgery token, then posts the fields to <paramref name="url"/>.
    public async Task<HttpResponseMessage> PostAsync(string formPage, string url, params (string Name, string Value)[] fields)
    {
        var html = await HtmlAsync(formPage);
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), $"{formPage} has a form with an antiforgery token");
        var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Append(new KeyValuePair<string, string>("__RequestVerificationToken", token)));
        return await Client.PostAsync(url, content, Ct);
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        await PostAsync("/account/sign-in", "/account/sign-in", ("Input.Email", email), ("Input.Password", password));

    /// Signs in with a password only; fails the test unless the app lets the person in.
    public async Task SignedInAsync(string email, string password)
    {
        var response = await SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await IsSignedInAsync(), "signed in after the password");
    }

    /// Whether the home page opens (rather than redirecting to sign-in or MFA enrolment).
    public async Task<bool> IsSignedInAsync() => (await Client.GetAsync("/", Ct)).StatusCode == HttpStatusCode.OK;

    public async Task<string?> RedirectOfAsync(string url) => (await Client.GetAsync(url, Ct)).Headers.Location?.ToString();

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
