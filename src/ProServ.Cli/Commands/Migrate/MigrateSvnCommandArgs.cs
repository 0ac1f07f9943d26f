namespace ProServ.Cli.Commands.Migrate;

/// <summary>What `proserv migrate svn` was asked to do: one property per option, named after it.</summary>
/// <param name="Source">Dump file (optionally gzip), "-" for standard input, or a repository path / file:// URL.</param>
public sealed record MigrateSvnCommandArgs(string Source)
{
    public const string DefaultLayout = "standard";
    public const string DefaultTrunkBranch = "main";

    public string? Out { get; init; }

    public string? Stream { get; init; }

    /// <summary>"standard" or "root"; ignored when <see cref="Rules"/> is given.</summary>
    public string Layout { get; init; } = DefaultLayout;

    public string? Rules { get; init; }

    public string TrunkBranch { get; init; } = DefaultTrunkBranch;

    public string? Authors { get; init; }

    public bool Resume { get; init; }

    public bool Verify { get; init; }

    public string? Report { get; init; }

    public bool KeepDeleted { get; init; }

    public bool NoGitignore { get; init; }

    public bool RevisionTrailer { get; init; }

    public bool EmptyDirs { get; init; }
}
