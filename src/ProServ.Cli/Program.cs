using System.CommandLine;
using ProServ.Cli.Commands.Api;
using ProServ.Cli.Commands.Migrate;

var root = new RootCommand("ProServ command-line tool");
root.Subcommands.Add(MigrateCommand.Create(TimeProvider.System));
root.Subcommands.Add(ApiCommand.Create());
return await root.Parse(args).InvokeAsync();
