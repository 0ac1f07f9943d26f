using System.CommandLine;

namespace ProServ.Cli.Commands.Api;

/// <summary>
/// `proserv api PATH`: calls the ProServ REST API with an API token and prints the JSON answer, so
/// everything the API does can be scripted from a shell (as `gh api` and `glab api` do for their
/// products). This declares the options; <see cref="ApiCommandHandler"/> does the work.
/// </summary>
public static class ApiCommand
{
    /// <param name="handler">Tests: the HTTP handler to send through (default: a plain socket handler).</param>
    public static Command Create(Func<HttpMessageHandler>? handler = null)
    {
        var path = new Argument<string>("PATH") { Description = "API path, e.g. customers?search=acme or /api/v1/engagements (the /api/v1/ prefix may be left out)" };
        var method = new Option<string?>("--method", "-X") { Description = "HTTP method (default GET, or POST with --data)" };
        method.AcceptOnlyFromAmong("GET", "POST", "PUT", "PATCH", "DELETE");
        var data = new Option<string?>("--data", "-d") { Description = "JSON request body; @FILE reads it from a file, @- from standard input" };
        var url = new Option<string?>("--url") { Description = $"ProServ's address (default $PROSERV_URL, else {ApiCommandHandler.DefaultUrl})" };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the API token (default $PROSERV_TOKEN); create tokens under Tokens in the web app" };
        var cmd = new Command("api", "Call the ProServ REST API and print its JSON answer") { path, method, data, url, tokenFile };
        cmd.SetAction((pr, ct) =>
        {
            var args = new ApiCommandArgs(pr.GetValue(path)!, pr.GetValue(method), pr.GetValue(data), pr.GetValue(url), pr.GetValue(tokenFile));
            var run = new ApiCommandHandler(
                pr.InvocationConfiguration.Output,
                pr.InvocationConfiguration.Error,
                Console.In,
                Environment.GetEnvironmentVariable,
                handler ?? (() => new SocketsHttpHandler()));
            return run.HandleAsync(args, ct);
        });
        return cmd;
    }
}
