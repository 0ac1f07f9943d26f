namespace ProServ.Cli.Commands.Api;

/// <summary>What `proserv api` was asked to do, as given on the command line (null when an option was left out).</summary>
/// <param name="Path">API path; the /api/v1/ prefix may be left out.</param>
/// <param name="Method">--method; GET, or POST when there is a body, when null.</param>
/// <param name="Data">--data: JSON, @FILE or @- for standard input.</param>
/// <param name="Url">--url; $PROSERV_URL, else <see cref="ApiCommandHandler.DefaultUrl"/>, when null.</param>
/// <param name="TokenFile">--token-file; $PROSERV_TOKEN when null.</param>
public sealed record ApiCommandArgs(string Path, string? Method = null, string? Data = null, string? Url = null, string? TokenFile = null);
