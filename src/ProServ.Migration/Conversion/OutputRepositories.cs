using ProServ.Migration.Git;
using ProServ.Migration.Layout;

namespace ProServ.Migration.Conversion;

/// <summary>The bare repositories a conversion writes into: one, or one per repository of the rules.</summary>
internal sealed class OutputRepositories(SvnConversionOptions options, LayoutRules layout)
{
    public bool Multiple => layout.Repositories.Count > 1;

    public string DirOf(string name) =>
        Multiple ? Path.Combine(options.OutputGitDir!, FileName(name) + ".git") : options.OutputGitDir!;

    /// <summary>The unnamed repository of the rules is "default" in file names.</summary>
    public static string FileName(string name) => name.Length == 0 ? "default" : name;

    /// <summary>Creates the repositories (or checks that existing ones are empty, or the ones a resumed run wrote).</summary>
    public void Prepare()
    {
        foreach (var name in layout.Repositories)
        {
            var dir = DirOf(name);
            var head = name.Length == 0 || layout.Repositories.Count == 1 ? options.TrunkBranch : "main";
            if (!Directory.Exists(dir) || !Directory.EnumerateFileSystemEntries(dir).Any())
            {
                Directory.CreateDirectory(dir);
                GitCli.Run(null, "init", "-q", "--bare", "--initial-branch=" + head, dir);
                continue;
            }
            if (!File.Exists(Path.Combine(dir, "HEAD")))
            {
                throw new MigrationException($"{dir} exists and is not a bare git repository");
            }
            if (!options.Resume && !File.Exists(ResumeState.PathIn(options.OutputGitDir!))
                && GitCli.Run(dir, "for-each-ref", "--count=1").Length > 0)
            {
                throw new MigrationException($"{dir} already has refs; convert into an empty or new repository");
            }
            GitCli.Run(dir, "symbolic-ref", "HEAD", "refs/heads/" + head);
        }
        Directory.CreateDirectory(Path.Combine(options.OutputGitDir!, ResumeState.StateDirName));
    }

    /// <summary>Opens a stream per repository: a git fast-import each, or files next to --stream FILE.</summary>
    public void Open(FastImportWriter writer, bool resumed)
    {
        foreach (var name in layout.Repositories)
        {
            if (options.StreamFile is not null)
            {
                writer.Add(name, FastImportTarget.ToFile(name, Multiple ? options.StreamFile + "." + FileName(name) : options.StreamFile));
            }
            else
            {
                var marks = Path.Combine(options.OutputGitDir!, ResumeState.StateDirName, "marks" + (Multiple ? "-" + FileName(name) : ""));
                writer.Add(name, FastImportTarget.StartGit(name, DirOf(name), marks, resumed));
            }
        }
    }
}
