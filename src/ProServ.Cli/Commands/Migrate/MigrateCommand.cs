using System.CommandLine;

namespace ProServ.Cli.Commands.Migrate;

/// <summary>`proserv migrate …`: repository migrations.</summary>
public static class MigrateCommand
{
    public static Command Create(TimeProvider time)
    {
        var migrate = new Command("migrate", "Migrate repositories to Git");
        migrate.Subcommands.Add(MigrateSvnCommand.Create(time));
        return migrate;
    }
}
