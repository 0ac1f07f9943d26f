using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ProServ.E2E.Infrastructure;

/// <summary>The real app on a loopback Kestrel port, in the given environment with the given settings.</summary>
public sealed class AppFactory(IReadOnlyDictionary<string, string> settings, string environment = "Development")
    : WebApplicationFactory<Program>
{
    /// <summary>Starts Kestrel on a free loopback port and answers its address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Start()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // UseSetting, unlike ConfigureAppConfiguration, is visible to
        // Program.cs before builder.Build(), where the database is chosen.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
