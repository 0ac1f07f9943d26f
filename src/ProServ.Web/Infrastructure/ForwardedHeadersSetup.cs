using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace ProServ.Web.Infrastructure;

/// <summary>
/// Behind a TLS-terminating reverse proxy the app sees plain HTTP from the proxy. X-Forwarded-Proto/-For/-Host,
/// trusted only from the proxies configured here, restore the browser's scheme, address and host, so that Secure
/// cookies, antiforgery, HSTS and redirects see https.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string KnownProxiesKey = "ForwardedHeaders:KnownProxies";
    public const string KnownNetworksKey = "ForwardedHeaders:KnownNetworks";
    public const string ForwardLimitKey = "ForwardedHeaders:ForwardLimit";

    /// <summary>
    /// Trusts loopback (a proxy on the same host) unless <c>ForwardedHeaders:KnownProxies</c> (addresses) or
    /// <c>ForwardedHeaders:KnownNetworks</c> (CIDR) name the proxies; either replaces the loopback default.
    /// Both take an array or one comma-separated string, e.g. <c>ForwardedHeaders__KnownNetworks=10.0.0.0/8,fd00::/8</c>.
    /// </summary>
    public static IServiceCollection AddProServForwardedHeaders(this IServiceCollection services, IConfiguration config)
    {
        // Parsed here rather than in the options callback, so that a typo stops the app at start, naming the key.
        var proxies = Values(config, KnownProxiesKey).Select(v => IPAddress.TryParse(v, out var ip)
            ? ip
            : throw new InvalidOperationException($"{KnownProxiesKey}: '{v}' is not an IP address.")).ToList();
        var networks = Values(config, KnownNetworksKey).Select(v => IPNetwork.TryParse(v, out var net)
            ? net
            : throw new InvalidOperationException($"{KnownNetworksKey}: '{v}' is not a network in CIDR notation (e.g. 10.0.0.0/8).")).ToList();
        var limit = config.GetValue<int?>(ForwardLimitKey) ?? 1;
        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // One proxy by default: only the entry the nearest proxy appended is believed.
            o.ForwardLimit = limit;
            if (proxies.Count == 0 && networks.Count == 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                o.KnownIPNetworks.Add(new IPNetwork(IPAddress.Loopback, 8));
                o.KnownIPNetworks.Add(new IPNetwork(IPAddress.IPv6Loopback, 128));
                return;
            }
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
        });
    }

    private static IEnumerable<string> Values(IConfiguration config, string key)
    {
        var section = config.GetSection(key);
        var values = section.GetChildren().Select(c => c.Value).ToList();
        if (section.Value is { } single)
        {
            values.Add(single);
        }
        return values
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
