using System.CommandLine;
using ProServ.Cli.Commands.Migrate;

var root = new RootCommand("ProServ command-line tool");
root.Subcommands.Add(MigrateCommand.Create(TimeProvider.System));
return await root.Parse(args).InvokeAsync();
