using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ProServ.Migration;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Cli.Commands.Migrate;

/// <summary>`proserv migrate svn SOURCE --out GITDIR`.</summary>
public static class MigrateSvnCommand
{
    public const int ExitOk = 0;
    public const int ExitError = 1;
    public const int ExitVerifyMismatch = 3;

    public static Command Create(TimeProvider time)
    {
        var source = new Argument<string>("SOURCE") { Description = "svnadmin dump file (optionally gzip), '-' for stdin, or a local repository path / file:// URL" };
        var output = new Option<string?>("--out") { Description = "Bare git repository to write (created when missing)" };
        var stream = new Option<string?>("--stream") { Description = "Write the fast-import stream to FILE instead of a repository" };
        var layout = new Option<string>("--layout") { Description = "Repository layout: standard (trunk/branches/tags) or root (one branch)", DefaultValueFactory = _ => "standard" };
        layout.AcceptOnlyFromAmong("standard", "root");
        var rules = new Option<string?>("--rules") { Description = "Rules file mapping SVN paths to repositories and branches (see docs/migration-svn.md)" };
        var trunk = new Option<string>("--trunk-branch") { Description = "Git branch for trunk", DefaultValueFactory = _ => "main" };
        var authors = new Option<string?>("--authors") { Description = "Authors file: lines 'svnuser = Full Name <email>'" };
        var resume = new Option<bool>("--resume") { Description = "Continue a previous conversion into GITDIR" };
        var verify = new Option<bool>("--verify") { Description = "Compare every branch and tag tip with the SVN tree afterwards (exit 3 on mismatch)" };
        var report = new Option<string?>("--report") { Description = "Write a JSON report to FILE" };
        var keepDeleted = new Option<bool>("--keep-deleted") { Description = "Keep deleted branches and tags under refs/deleted/" };
        var noGitignore = new Option<bool>("--no-gitignore") { Description = "Do not generate .gitignore files from svn:ignore" };
        var trailer = new Option<bool>("--revision-trailer") { Description = "Add 'SVN-Revision: N' to each commit message" };
        var emptyDirs = new Option<bool>("--empty-dirs") { Description = "Keep empty directories with a .gitkeep file" };

        var svn = new Command("svn", "Convert a Subversion repository or dump to Git")
        {
            source, output, stream, layout, rules, trunk, authors, resume, verify, report, keepDeleted, noGitignore, trailer, emptyDirs,
        };
        svn.SetAction(async (pr, ct) =>
        {
            var err = pr.InvocationConfiguration.Error;
            var outDir = pr.GetValue(output);
            var streamFile = pr.GetValue(stream);
            if (outDir is null && streamFile is null)
            {
                await err.WriteLineAsync("error: --out GITDIR (or --stream FILE) is required");
                return ExitError;
            }
            try
            {
                var trunkBranch = pr.GetValue(trunk)!;
                var rulesFile = pr.GetValue(rules);
                var layoutRules = rulesFile is not null ? LayoutRules.Parse(await File.ReadAllTextAsync(rulesFile, ct))
                    : pr.GetValue(layout) == "root" ? LayoutRules.Root(trunkBranch) : LayoutRules.Standard(trunkBranch);
                var authorsFile = pr.GetValue(authors);
                var progress = Console.IsErrorRedirected ? null : new TerminalProgress(time, err);
                var options = new SvnConversionOptions
                {
                    Source = pr.GetValue(source)!,
                    OutputGitDir = outDir is null ? null : Path.GetFullPath(outDir),
                    StreamFile = streamFile,
                    Layout = layoutRules,
                    TrunkBranch = trunkBranch,
                    Authors = authorsFile is null ? null : AuthorMap.Parse(await File.ReadAllTextAsync(authorsFile, ct)),
                    Resume = pr.GetValue(resume),
                    Verify = pr.GetValue(verify),
                    KeepDeleted = pr.GetValue(keepDeleted),
                    NoGitignore = pr.GetValue(noGitignore),
                    RevisionTrailer = pr.GetValue(trailer),
                    EmptyDirs = pr.GetValue(emptyDirs),
                    Progress = progress,
                };
                var result = await new SvnToGitConverter(time).ConvertAsync(options, ct);
                progress?.Done();
                var reportFile = pr.GetValue(report);
                if (reportFile is not null)
                {
                    await File.WriteAllTextAsync(reportFile, JsonSerializer.Serialize(result, ReportJson.Default.ConversionReport), ct);
                }
                var outw = pr.InvocationConfiguration.Output;
                await outw.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"converted r{result.FirstRevision}..r{result.LastRevision}: {result.Commits} commits, {result.Refs.Count} refs, {result.Warnings.Count} warnings in {result.Seconds:0.###} s"));
                if (result.Verify is { } v)
                {
                    foreach (var r in v)
                    {
                        await outw.WriteLineAsync($"verify {(r.Match ? "match   " : "MISMATCH")} {r.Ref} ({r.SvnPath}@{r.Revision}){(r.Match ? "" : ": " + string.Join("; ", r.Differences))}");
                    }
                    if (v.Any(r => !r.Match))
                    {
                        return ExitVerifyMismatch;
                    }
                }
                return ExitOk;
            }
            catch (Exception e) when (e is DumpFormatException or MigrationException or FormatException or IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                await err.WriteLineAsync("error: " + e.Message);
                if (Environment.GetEnvironmentVariable("PROSERV_DEBUG") is not null)
                {
                    await err.WriteLineAsync(e.ToString());
                }
                return ExitError;
            }
            catch (OperationCanceledException)
            {
                await err.WriteLineAsync("cancelled; the target repository's refs were not updated");
                return ExitError;
            }
        });
        return svn;
    }

    /// <summary>One status line on stderr, redrawn at most four times a second; cleared at the end.</summary>
    private sealed class TerminalProgress(TimeProvider time, TextWriter err) : IProgress<ConversionProgress>
    {
        private readonly long _start = time.GetTimestamp();
        private long _last;
        private int _width;

        public void Report(ConversionProgress value)
        {
            var now = time.GetTimestamp();
            // The first line after a quarter of a second, when a rate means something.
            if (time.GetElapsedTime(_width == 0 ? _start : _last, now).TotalMilliseconds < 250)
            {
                return;
            }
            _last = now;
            var secs = time.GetElapsedTime(_start, now).TotalSeconds;
            var fraction = value.TotalRevisions is > 0 ? Math.Min(1, (double)value.Revision / value.TotalRevisions.Value)
                : value.TotalBytes is > 0 ? (double)value.BytesRead / value.TotalBytes.Value : 0;
            var line = new System.Text.StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"r{value.Revision}");
            if (value.TotalRevisions is { } total)
            {
                line.Append(CultureInfo.InvariantCulture, $"/{total}");
            }
            if (fraction > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $" ({fraction:P0})");
            }
            line.Append(CultureInfo.InvariantCulture, $", {value.Revision / secs:0} rev/s");
            if (fraction > 0.005)
            {
                line.Append(CultureInfo.InvariantCulture, $", ETA {TimeSpan.FromSeconds(secs * (1 - fraction) / fraction):hh\\:mm\\:ss}");
            }
            var text = line.ToString();
            err.Write("\r" + text.PadRight(_width));
            _width = text.Length;
        }

        public void Done()
        {
            if (_width > 0)
            {
                err.Write("\r" + new string(' ', _width) + "\r");
            }
        }
    }
}

/// <summary>The --report JSON, generated at compile time (no reflection, so the command can also be published native).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ConversionReport))]
internal sealed partial class ReportJson : System.Text.Json.Serialization.JsonSerializerContext;
