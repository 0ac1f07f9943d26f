using System.Diagnostics;
using ProServ.Migration.Conversion;

namespace ProServ.Migration;

/// <summary>
/// Converts a Subversion dump stream into git through <c>git fast-import</c>. The SVN tree of every
/// revision is kept as a persistent tree whose files only hold blob marks, so copies are cheap and
/// file contents never stay in memory.
/// </summary>
public sealed class SvnToGitConverter(TimeProvider timeProvider)
{
    /// <summary>Runs a conversion. Throws <see cref="Svn.DumpFormatException"/> for bad dumps and
    /// <see cref="MigrationException"/> for other refusals; the target's refs are untouched then.</summary>
    public async Task<ConversionReport> ConvertAsync(SvnConversionOptions options, CancellationToken ct = default)
    {
        var start = timeProvider.GetTimestamp();
        var run = new ConversionRun(options, timeProvider);
        var report = await run.RunAsync(ct).ConfigureAwait(false);
        report.Seconds = Math.Round(timeProvider.GetElapsedTime(start).TotalSeconds, 3);
        using var self = Process.GetCurrentProcess();
        report.PeakMemoryMB = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1);
        report.ProcessorSeconds = Math.Round(self.TotalProcessorTime.TotalSeconds, 3);
        return report;
    }
}
