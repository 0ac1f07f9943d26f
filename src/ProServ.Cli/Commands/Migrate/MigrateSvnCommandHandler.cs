using System.Globalization;
using System.Text.Json;
using ProServ.Migration;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Cli.Commands.Migrate;

/// <summary>
/// Turns the command line of `proserv migrate svn` into <see cref="SvnConversionOptions"/>, runs the
/// conversion, writes the report and prints the summary and verification results.
/// </summary>
/// <param name="output">Where the summary and verification lines go.</param>
/// <param name="error">Where errors and the progress line go.</param>
/// <param name="time">Clock for the conversion and the progress line.</param>
/// <param name="showProgress">Draw a progress line on <paramref name="error"/> (a terminal).</param>
/// <param name="environment">Reads PROSERV_DEBUG (print the stack trace of an error).</param>
/// <param name="convert">Tests: runs the conversion (default: <see cref="SvnToGitConverter.ConvertAsync"/>).</param>
public sealed class MigrateSvnCommandHandler(
    TextWriter output,
    TextWriter error,
    TimeProvider time,
    bool showProgress,
    Func<string, string?> environment,
    Func<SvnConversionOptions, CancellationToken, Task<ConversionReport>>? convert = null)
{
    public const int ExitOk = 0;
    public const int ExitError = 1;
    public const int ExitVerifyMismatch = 3;

    private readonly Func<SvnConversionOptions, CancellationToken, Task<ConversionReport>> _convert = convert ?? new SvnToGitConverter(time).ConvertAsync;

    public async Task<int> HandleAsync(MigrateSvnCommandArgs args, CancellationToken ct)
    {
        if (args.Out is null && args.Stream is null)
        {
            await error.WriteLineAsync("error: --out GITDIR (or --stream FILE) is required");
            return ExitError;
        }
        try
        {
            var layout = args.Rules is not null ? LayoutRules.Parse(await File.ReadAllTextAsync(args.Rules, ct))
                : args.Layout == "root" ? LayoutRules.Root(args.TrunkBranch) : LayoutRules.Standard(args.TrunkBranch);
            var progress = showProgress ? new TerminalProgress(time, error) : null;
            var options = new SvnConversionOptions
            {
                Source = args.Source,
                OutputGitDir = args.Out is null ? null : Path.GetFullPath(args.Out),
                StreamFile = args.Stream,
                Layout = layout,
                TrunkBranch = args.TrunkBranch,
                Authors = args.Authors is null ? null : AuthorMap.Parse(await File.ReadAllTextAsync(args.Authors, ct)),
                Resume = args.Resume,
                Verify = args.Verify,
                KeepDeleted = args.KeepDeleted,
                NoGitignore = args.NoGitignore,
                RevisionTrailer = args.RevisionTrailer,
                EmptyDirs = args.EmptyDirs,
                Progress = progress,
            };
            var result = await _convert(options, ct);
            progress?.Done();
            if (args.Report is not null)
            {
                await File.WriteAllTextAsync(args.Report, JsonSerializer.Serialize(result, ReportJson.Default.ConversionReport), ct);
            }
            return await PrintAsync(result);
        }
        catch (Exception e) when (e is DumpFormatException or MigrationException or FormatException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("error: " + e.Message);
            if (environment("PROSERV_DEBUG") is not null)
            {
                await error.WriteLineAsync(e.ToString());
            }
            return ExitError;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled; the target repository's refs were not updated");
            return ExitError;
        }
    }

    private async Task<int> PrintAsync(ConversionReport result)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"converted r{result.FirstRevision}..r{result.LastRevision}: {result.Commits} commits, {result.Refs.Count} refs, {result.Warnings.Count} warnings in {result.Seconds:0.###} s"));
        if (result.Verify is not { } verified)
        {
            return ExitOk;
        }
        foreach (var r in verified)
        {
            await output.WriteLineAsync($"verify {(r.Match ? "match   " : "MISMATCH")} {r.Ref} ({r.SvnPath}@{r.Revision}){(r.Match ? "" : ": " + string.Join("; ", r.Differences))}");
        }
        return verified.Any(r => !r.Match) ? ExitVerifyMismatch : ExitOk;
    }
}
