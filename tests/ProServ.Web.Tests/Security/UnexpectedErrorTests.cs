using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProServ.Core.Data;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Security;

/// The last-resort exception handler: an exception nobody planned for is a 500 problem that tells the caller nothing
/// about the code (no message, no type, no stack trace) and carries the correlation id under which it was logged.
public sealed class UnexpectedErrorTests(UnexpectedErrorTests.ThrowingApp app) : IClassFixture<UnexpectedErrorTests.ThrowingApp>
{
    private const string Secret = "connection to 10.1.2.3 failed for user svc_proserv";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task UnexpectedException_IsAGenericProblem_WithTheLoggedCorrelationId(string method)
    {
        // Signed in, because the app's fallback policy sends anonymous callers of an unknown path to the sign-in page.
        var client = await app.AdminAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), ThrowingApp.Path);
        var response = await client.SendAsync(request, Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.InternalServerError);
        Assert.Equal("An unexpected error occurred.", problem.Str("title"));
        var correlationId = problem.Str("correlationId");
        Assert.False(string.IsNullOrWhiteSpace(correlationId));
        Assert.Equal(correlationId, Assert.Single(response.Headers.GetValues("X-Correlation-Id")));
        foreach (var leak in new[] { Secret, "InvalidOperationException", "ThrowingApp", "   at ", "stack", ".cs:line" })
        {
            Assert.DoesNotContain(leak, text, StringComparison.OrdinalIgnoreCase);
        }

        var logged = app.Logs.Where(l => l.Level == LogLevel.Error && l.Exception?.Message == Secret).ToList();
        Assert.Contains(logged, l => l.Message.Contains(correlationId, StringComparison.Ordinal));
    }

    public sealed class ThrowingApp() : AppFactory(DatabaseProvider.Sqlite)
    {
        public const string Path = "/api/v1/test-only/throw";

        public ConcurrentQueue<LogEntry> Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<IStartupFilter>(new ThrowAtTheEnd());
                services.AddSingleton<ILoggerProvider>(new Capture(Logs));
            });
        }

        /// Appends, after the app's own pipeline (so inside its exception handler), a middleware that fails the way
        /// a bug would, on a path no endpoint claims.
        private sealed class ThrowAtTheEnd : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Use((HttpContext ctx, RequestDelegate rest) =>
                    ctx.Request.Path == Path ? throw new InvalidOperationException(Secret) : rest(ctx));
            };
        }
    }

    public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

    private sealed class Capture(ConcurrentQueue<LogEntry> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs);

        public void Dispose() { }

        private sealed class Logger(ConcurrentQueue<LogEntry> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) logs.Enqueue(new LogEntry(logLevel, formatter(state, exception), exception));
            }
        }
    }
}
