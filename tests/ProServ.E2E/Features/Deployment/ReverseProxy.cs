using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProServ.E2E.Features.Deployment;

/// <summary>
/// Debian's nginx terminating TLS on a free loopback port with a self-signed certificate for
/// <see cref="HostName"/>, forwarding to an app over plain HTTP the way the README's deployment section sets it up.
/// Everything it writes stays in its own temp dir.
/// </summary>
public sealed class ReverseProxy : IAsyncDisposable
{
    public const string HostName = "proserv.test";

    private readonly string _dir;
    private readonly Process _nginx;

    private ReverseProxy(string dir, Process nginx, int port)
    {
        _dir = dir;
        _nginx = nginx;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseUrl => new($"https://{HostName}:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public static async Task<ReverseProxy> StartAsync(Uri upstream, CancellationToken ct)
    {
        var nginxPath = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("This test needs Debian's nginx (apt-get install nginx); ./test.sh installs it.");
        var dir = Directory.CreateTempSubdirectory("proserv-nginx-").FullName;
        await RunAsync("openssl", ct, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"), "-days", "2",
            "-subj", "/CN=" + HostName, "-addext", "subjectAltName=DNS:" + HostName);

        var port = FreePort();
        // As root nginx would switch its workers to nobody, who cannot read the temp dir; stay root instead.
        var user = Environment.IsPrivilegedProcess ? "user root;" : "";
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), $$"""
            {{user}}
            daemon off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/client_body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                server {
                    listen 127.0.0.1:{{port}} ssl;
                    server_name {{HostName}};
                    ssl_certificate {{dir}}/cert.pem;
                    ssl_certificate_key {{dir}}/key.pem;
                    location / {
                        proxy_pass {{upstream.GetLeftPart(UriPartial.Authority)}};
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Host $http_host;
                    }
                }
            }
            """, ct);

        var nginx = Process.Start(new ProcessStartInfo(nginxPath)
        {
            // -e: the error log before the configuration is read, otherwise nginx opens /var/log/nginx/error.log.
            ArgumentList = { "-p", dir, "-e", Path.Combine(dir, "error.log"), "-c", Path.Combine(dir, "nginx.conf") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("nginx did not start.");
        var proxy = new ReverseProxy(dir, nginx, port);
        try
        {
            await proxy.WaitUntilListeningAsync(ct);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    private async Task WaitUntilListeningAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_nginx.HasExited)
            {
                var log = Path.Combine(_dir, "error.log");
                throw new InvalidOperationException(
                    $"nginx exited with {_nginx.ExitCode}: {await _nginx.StandardError.ReadToEndAsync(ct)} " +
                    (File.Exists(log) ? await File.ReadAllTextAsync(log, ct) : ""));
            }
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_nginx.HasExited)
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }
        _nginx.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp dir; must not fail the test.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        }
    }
}
