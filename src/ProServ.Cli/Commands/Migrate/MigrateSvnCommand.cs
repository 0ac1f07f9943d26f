using System.CommandLine;

namespace ProServ.Cli.Commands.Migrate;

/// <summary>
/// `proserv migrate svn SOURCE --out GITDIR`. This declares the options;
/// <see cref="MigrateSvnCommandHandler"/> does the work.
/// </summary>
public static class MigrateSvnCommand
{
    public static Command Create(TimeProvider time)
    {
        var source = new Argument<string>("SOURCE") { Description = "svnadmin dump file (optionally gzip), '-' for stdin, or a local repository path / file:// URL" };
        var output = new Option<string?>("--out") { Description = "Bare git repository to write (created when missing)" };
        var stream = new Option<string?>("--stream") { Description = "Write the fast-import stream to FILE instead of a repository" };
        var layout = new Option<string>("--layout") { Description = "Repository layout: standard (trunk/branches/tags) or root (one branch)", DefaultValueFactory = _ => MigrateSvnCommandArgs.DefaultLayout };
        layout.AcceptOnlyFromAmong("standard", "root");
        var rules = new Option<string?>("--rules") { Description = "Rules file mapping SVN paths to repositories and branches (see docs/migration-svn.md)" };
        var trunk = new Option<string>("--trunk-branch") { Description = "Git branch for trunk", DefaultValueFactory = _ => MigrateSvnCommandArgs.DefaultTrunkBranch };
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
        svn.SetAction((pr, ct) =>
        {
            var args = new MigrateSvnCommandArgs(pr.GetValue(source)!)
            {
                Out = pr.GetValue(output),
                Stream = pr.GetValue(stream),
                Layout = pr.GetValue(layout)!,
                Rules = pr.GetValue(rules),
                TrunkBranch = pr.GetValue(trunk)!,
                Authors = pr.GetValue(authors),
                Resume = pr.GetValue(resume),
                Verify = pr.GetValue(verify),
                Report = pr.GetValue(report),
                KeepDeleted = pr.GetValue(keepDeleted),
                NoGitignore = pr.GetValue(noGitignore),
                RevisionTrailer = pr.GetValue(trailer),
                EmptyDirs = pr.GetValue(emptyDirs),
            };
            var run = new MigrateSvnCommandHandler(
                pr.InvocationConfiguration.Output,
                pr.InvocationConfiguration.Error,
                time,
                // A status line redrawn with \r is noise in a log file or a pipe.
                showProgress: !Console.IsErrorRedirected,
                Environment.GetEnvironmentVariable);
            return run.HandleAsync(args, ct);
        });
        return svn;
    }
}
