namespace ProServ.Migration;

/// <summary>The outcome of a conversion, written as JSON with --report.</summary>
public sealed class ConversionReport
{
    /// <summary>Source as given.</summary>
    public string Source { get; set; } = "";

    /// <summary>Repository UUID from the dump.</summary>
    public string? Uuid { get; set; }

    /// <summary>First revision converted in this run.</summary>
    public int FirstRevision { get; set; }

    /// <summary>Last revision converted.</summary>
    public int LastRevision { get; set; }

    /// <summary>Revisions read in this run (including replayed ones on resume).</summary>
    public int RevisionsRead { get; set; }

    /// <summary>Commits written in this run.</summary>
    public int Commits { get; set; }

    /// <summary>Blobs written in this run.</summary>
    public int Blobs { get; set; }

    /// <summary>Merge commits written.</summary>
    public int Merges { get; set; }

    /// <summary>Revisions that changed nothing git records (property-only changes, empty directories).</summary>
    public List<int> EmptyRevisions { get; set; } = [];

    /// <summary>Final refs with the SVN path each one comes from.</summary>
    public List<RefReport> Refs { get; set; } = [];

    /// <summary>Warnings (modified tags, ignored mergeinfo, ...).</summary>
    public List<string> Warnings { get; set; } = [];

    /// <summary>svn:externals definitions found.</summary>
    public List<ExternalReport> Externals { get; set; } = [];

    /// <summary>Paths no layout rule matched (first 1000).</summary>
    public List<string> UnmatchedPaths { get; set; } = [];

    /// <summary>Verification results when --verify was given.</summary>
    public List<VerifyResult>? Verify { get; set; }

    /// <summary>Peak working set of this process in MB (git fast-import runs separately).</summary>
    public double PeakMemoryMB { get; set; }

    /// <summary>Live managed heap in MB after reading the whole dump (the retained SVN tree state).</summary>
    public double RetainedHeapMB { get; set; }

    /// <summary>
    /// Most past revision trees held at once because a later copy reads them (the copy plan drops
    /// each after its last reader, so this does not grow with the number of revisions).
    /// </summary>
    public int KeptTreesPeak { get; set; }

    /// <summary>
    /// Seconds per phase: open (source, repositories), plan (header pass or svn log), convert
    /// (reading the dump while git fast-import ingests the stream), fast-import (git finishing
    /// after the stream ended), refs, verify.
    /// </summary>
    public Dictionary<string, double> PhaseSeconds { get; set; } = [];

    /// <summary>CPU seconds of this process (user and system, all threads; git fast-import not included).</summary>
    public double ProcessorSeconds { get; set; }

    /// <summary>Wall-clock seconds.</summary>
    public double Seconds { get; set; }
}

/// <summary>A ref written by the conversion.</summary>
/// <param name="Repository">Repository name ("" for the output directory).</param>
/// <param name="Ref">Full ref name.</param>
/// <param name="Kind">branch, tag (annotated), modified-tag or deleted.</param>
/// <param name="SvnPath">SVN directory it mirrors.</param>
/// <param name="Revision">SVN revision its tip corresponds to.</param>
/// <param name="Prefix">Path prefix inside git.</param>
public sealed record RefReport(string Repository, string Ref, string Kind, string SvnPath, int Revision, string Prefix);

/// <summary>An svn:externals property.</summary>
/// <param name="Path">Directory holding it.</param>
/// <param name="Revision">Revision it was set.</param>
/// <param name="Value">Its value.</param>
public sealed record ExternalReport(string Path, int Revision, string Value);

/// <summary>Verification of one ref.</summary>
/// <param name="Ref">Ref name.</param>
/// <param name="SvnPath">SVN path compared.</param>
/// <param name="Revision">SVN revision compared.</param>
/// <param name="Match">True when trees are equal.</param>
/// <param name="Differences">First differing paths with a reason.</param>
public sealed record VerifyResult(string Ref, string SvnPath, int Revision, bool Match, List<string> Differences);
