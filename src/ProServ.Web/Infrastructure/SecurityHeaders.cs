using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace ProServ.Web.Infrastructure;

/// <summary>
/// Response headers that limit what a page may load and run. Scripts run only from our own origin or with this
/// request's nonce, so injected markup cannot run script even if an encoding bug let it through.
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "proserv.csp-nonce";

    // Label colours (user data, validated as #rrggbb on write) reach the page as a --c custom property in style
    // attributes on chips and column heads. Style attributes cannot run script; style elements still need the
    // nonce, which blocks the injected <style> block that attribute-selector exfiltration depends on.
    private const string StyleAttributes = "style-src-attr 'unsafe-inline'";

    // Features the app never uses; a compromised or framed page cannot ask for them either.
    private const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), " +
        "magnetometer=(), microphone=(), midi=(), payment=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()";

    /// <summary>This request's CSP nonce, for a script or style element written inline.</summary>
    public static string CspNonce(this HttpContext context)
    {
        if (context.Items[NonceKey] is string nonce)
        {
            return nonce;
        }
        nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    public static IServiceCollection AddProServSecurityHeaders(this IServiceCollection services) =>
        // A year, as ASVS asks for; no includeSubDomains, since other hosts of the customer's domain are not ours to pin.
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));

    public static IApplicationBuilder UseProServSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var ctx = (HttpContext)state;
                var headers = ctx.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                // An endpoint that serves foreign content (a document preview) sets a tighter policy of its own.
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = Policy(ctx);
                }
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    private static string Policy(HttpContext context)
    {
        var nonce = context.CspNonce();
        // The Scalar API reference (a Vue app) injects <style> elements at run time without a nonce; its scripts
        // carry ours (WithNonce in Program.cs), so only styles are relaxed, and only on that page. A nonce in
        // style-src would make browsers ignore 'unsafe-inline', hence none here.
        var styles = context.Request.Path.StartsWithSegments("/api/reference", StringComparison.OrdinalIgnoreCase)
            ? "style-src 'self' 'unsafe-inline'"
            : $"style-src 'self' 'nonce-{nonce}'; {StyleAttributes}";
        return "default-src 'self'; " +
            $"script-src 'self' 'nonce-{nonce}'; " +
            $"{styles}; " +
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";
    }
}

/// <summary>
/// <c>&lt;script asp-add-nonce&gt;</c> / <c>&lt;style asp-add-nonce&gt;</c>: gives an inline element this request's
/// CSP nonce. Opt-in, so that only markup written for it is trusted.
/// </summary>
[HtmlTargetElement("script", Attributes = AttributeName)]
[HtmlTargetElement("style", Attributes = AttributeName)]
public sealed class CspNonceTagHelper : TagHelper
{
    private const string AttributeName = "asp-add-nonce";

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.Attributes.RemoveAll(AttributeName);
        output.Attributes.SetAttribute("nonce", ViewContext.HttpContext.CspNonce());
    }
}
