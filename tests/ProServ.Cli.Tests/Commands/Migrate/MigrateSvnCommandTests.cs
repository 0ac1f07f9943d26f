using System.CommandLine;
using ProServ.Cli.Commands.Migrate;

namespace ProServ.Cli.Tests.Commands.Migrate;

/// <summary>The option names and defaults are a contract with scripts and docs/migration-svn.md.</summary>
public sealed class MigrateSvnCommandTests
{
    private static ParseResult Parse(params string[] args) => new RootCommand { MigrateCommand.Create(TimeProvider.System) }.Parse(args);

    [Fact]
    public void Options_LeftOut_TakeTheirDefaults()
    {
        var pr = Parse("migrate", "svn", "r.dump", "--out", "o.git");

        Assert.Empty(pr.Errors);
        Assert.Equal("r.dump", pr.GetValue<string>("SOURCE"));
        Assert.Equal("o.git", pr.GetValue<string?>("--out"));
        Assert.Equal(MigrateSvnCommandArgs.DefaultLayout, pr.GetValue<string>("--layout"));
        Assert.Equal("standard", MigrateSvnCommandArgs.DefaultLayout);
        Assert.Equal(MigrateSvnCommandArgs.DefaultTrunkBranch, pr.GetValue<string>("--trunk-branch"));
        Assert.Equal("main", MigrateSvnCommandArgs.DefaultTrunkBranch);
        Assert.Null(pr.GetValue<string?>("--stream"));
        Assert.False(pr.GetValue<bool>("--verify"));
    }

    [Fact]
    public void EveryOption_IsDeclaredUnderItsName()
    {
        var pr = Parse("migrate", "svn", "r.dump", "--stream", "s.fi", "--layout", "root", "--rules", "r.txt", "--trunk-branch", "dev", "--authors", "a.txt",
            "--resume", "--verify", "--report", "rep.json", "--keep-deleted", "--no-gitignore", "--revision-trailer", "--empty-dirs");

        Assert.Empty(pr.Errors);
        Assert.Equal(["s.fi", "root", "r.txt", "dev", "a.txt", "rep.json"],
            new[] { "--stream", "--layout", "--rules", "--trunk-branch", "--authors", "--report" }.Select(name => pr.GetValue<string?>(name)));
        Assert.All(new[] { "--resume", "--verify", "--keep-deleted", "--no-gitignore", "--revision-trailer", "--empty-dirs" }, name => Assert.True(pr.GetValue<bool>(name), name));
    }

    [Fact]
    public void Layout_OtherThanStandardOrRoot_IsRefusedByTheParser() =>
        Assert.NotEmpty(Parse("migrate", "svn", "r.dump", "--out", "o.git", "--layout", "weird").Errors);
}
