using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.ResponseCompression;

namespace ProServ.Web.Infrastructure;

/// Brotli and gzip for every text answer (pages, JSON, problem details, CSS, JavaScript, SVG), over HTTPS too.
///
/// Compressing under TLS exposes a secret in a body to BREACH only when the secret is the same in every answer and
/// attacker-chosen text is reflected next to it. Here the session cookie and API tokens travel in headers, which body
/// compression never touches; the antiforgery request token in each form is encrypted by Data Protection with a fresh
/// key modifier and IV on every render, so no two answers carry the same bytes for it (the masking BREACH's authors
/// recommend); and the auth cookie is SameSite=Lax, so other sites' sub-requests run as anonymous. What remains are the
/// pages that show a new API token, once; those (everything under /account, and POST /api/v1/auth/tokens) are sent
/// uncompressed anyway, since they are rare and the saving is nothing. See docs/performance.md.
public static class Compression
{
    public static IServiceCollection AddProServCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/problem+json", "image/svg+xml"]);
        });
        // Fastest: on two cores the CPU is the limit under load (docs/performance.md); higher levels cost more CPU for a
        // few per cent fewer bytes.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    public static IApplicationBuilder UseProServCompression(this IApplicationBuilder app)
    {
        app.UseResponseCompression();
        // After UseResponseCompression: it is what offers the feature this sets.
        return app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase)
                || context.Request.Path.StartsWithSegments("/api/v1/auth/tokens", StringComparison.OrdinalIgnoreCase))
            {
                context.Features.Get<IHttpsCompressionFeature>()?.Mode = HttpsCompressionMode.DoNotCompress;
            }
            return next(context);
        });
    }
}
