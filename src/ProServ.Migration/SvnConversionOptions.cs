using ProServ.Migration.Layout;

namespace ProServ.Migration;

/// <summary>What to convert and how.</summary>
public sealed record SvnConversionOptions
{
    /// <summary>A dump file (plain or gzip), "-" for standard input, a repository path or a file:// URL.</summary>
    public required string Source { get; init; }

    /// <summary>Bare git repository to write (created when missing). Ignored when <see cref="StreamFile"/> is set.</summary>
    public string? OutputGitDir { get; init; }

    /// <summary>Write the fast-import stream to this file instead of running git.</summary>
    public string? StreamFile { get; init; }

    /// <summary>Path-to-ref mapping; the standard layout when null.</summary>
    public LayoutRules? Layout { get; init; }

    /// <summary>Branch name for trunk in the standard layout.</summary>
    public string TrunkBranch { get; init; } = "main";

    /// <summary>Author map; when null, authors become <c>user &lt;user@UUID&gt;</c>.</summary>
    public AuthorMap? Authors { get; init; }

    /// <summary>Continue from the last revision converted into <see cref="OutputGitDir"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>Compare every ref tip with the SVN tree afterwards.</summary>
    public bool Verify { get; init; }

    /// <summary>Keep deleted branches and tags under refs/deleted/.</summary>
    public bool KeepDeleted { get; init; }

    /// <summary>Do not turn svn:ignore / svn:global-ignores into .gitignore files.</summary>
    public bool NoGitignore { get; init; }

    /// <summary>Append <c>SVN-Revision: N</c> to each commit message.</summary>
    public bool RevisionTrailer { get; init; }

    /// <summary>Keep empty directories with a .gitkeep file.</summary>
    public bool EmptyDirs { get; init; }

    /// <summary>
    /// Every this many revisions, trees are written to the temporary node store and directories
    /// not used since the previous sweep are dropped from memory (tests sweep after every revision).
    /// </summary>
    internal int SweepRevisions { get; init; } = 500;

    /// <summary>Format-3 texts whose delta or base exceeds this many bytes are applied window by window from disk.</summary>
    internal long StreamDeltasFrom { get; init; } = 8 << 20;

    /// <summary>Tests: the plan read beside a conversion into a new output starts only when this completes.</summary>
    internal Task? PlanGate { get; init; }

    /// <summary>Receives progress after each revision.</summary>
    public IProgress<ConversionProgress>? Progress { get; init; }
}

/// <summary>Progress of a running conversion.</summary>
/// <param name="Revision">Last revision read.</param>
/// <param name="TotalRevisions">Youngest revision when known (repository sources), else null.</param>
/// <param name="BytesRead">Dump bytes read so far.</param>
/// <param name="TotalBytes">Dump size when known.</param>
public sealed record ConversionProgress(int Revision, int? TotalRevisions, long BytesRead, long? TotalBytes);

/// <summary>A conversion that cannot proceed (bad options, missing authors, inconsistent resume state).</summary>
public sealed class MigrationException(string message) : Exception(message);
