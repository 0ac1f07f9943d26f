using System.CommandLine;
using ProServ.Cli.Commands.Api;

namespace ProServ.Cli.Tests.Commands.Api;

/// <summary>The option names and their short forms are a contract with scripts (as `gh api -X … -d …`).</summary>
public sealed class ApiCommandTests
{
    private static ParseResult Parse(params string[] args) => new RootCommand { ApiCommand.Create() }.Parse(args);

    [Fact]
    public void Options_HaveTheirShortForms()
    {
        var pr = Parse("api", "customers", "-X", "PUT", "-d", "{}", "--url", "http://proserv.test", "--token-file", "t");

        Assert.Empty(pr.Errors);
        Assert.Equal("customers", pr.GetValue<string>("PATH"));
        Assert.Equal("PUT", pr.GetValue<string?>("--method"));
        Assert.Equal("{}", pr.GetValue<string?>("--data"));
        Assert.Equal("http://proserv.test", pr.GetValue<string?>("--url"));
        Assert.Equal("t", pr.GetValue<string?>("--token-file"));
    }

    [Fact]
    public void Method_OutsideTheHttpVerbsTheApiUses_IsRefusedByTheParser() =>
        Assert.NotEmpty(Parse("api", "customers", "-X", "FOO").Errors);

    [Fact]
    public void Path_IsRequired() => Assert.NotEmpty(Parse("api").Errors);
}
