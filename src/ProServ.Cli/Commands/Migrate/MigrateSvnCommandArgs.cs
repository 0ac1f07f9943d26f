namespace ProServ.Cli.Commands.Migrate;

/// <summary>What `proserv migrate svn` was asked to do, as given on the command line.</summary>
/// <param name="Source">Dump file (optionally gzip), "-" for standard input, or a repository path / file:// URL.</param>
public sealed record MigrateSvnCommandArgs(string Source)
{
    public const string DefaultLayout = "standard";
    public const string DefaultTrunkBranch = "main";

    /// <summary>--out: bare git repository to write.</summary>
    public string? Out { get; init; }

    /// <summary>--stream: fast-import stream file to write instead of a repository.</summary>
    public string? Stream { get; init; }

    /// <summary>--layout: "standard" or "root"; ignored when <see cref="Rules"/> is given.</summary>
    public string Layout { get; init; } = DefaultLayout;

    /// <summary>--rules: rules file.</summary>
    public string? Rules { get; init; }

    /// <summary>--trunk-branch.</summary>
    public string TrunkBranch { get; init; } = DefaultTrunkBranch;

    /// <summary>--authors: authors file.</summary>
    public string? Authors { get; init; }

    public bool Resume { get; init; }

    public bool Verify { get; init; }

    /// <summary>--report: JSON report file.</summary>
    public string? Report { get; init; }

    public bool KeepDeleted { get; init; }

    public bool NoGitignore { get; init; }

    public bool RevisionTrailer { get; init; }

    public bool EmptyDirs { get; init; }
}
