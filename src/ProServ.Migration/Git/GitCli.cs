using System.Diagnostics;
using System.Text;

namespace ProServ.Migration.Git;

/// <summary>Runs the git (and svn) command-line tools.</summary>
internal static class GitCli
{
    public static string Run(string? gitDir, params string[] args) => RunTool("git", gitDir, args);

    public static string RunTool(string tool, string? gitDir, params string[] args)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (gitDir is not null)
        {
            psi.ArgumentList.Add("-C");
            psi.ArgumentList.Add(gitDir);
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        // stderr is read by events while stdout is read here, so neither pipe can fill up and stall the tool.
        var err = new StringBuilder();
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (err)
                {
                    err.Append(e.Data).Append('\n');
                }
            }
        };
        p.BeginErrorReadLine();
        var output = p.StandardOutput.ReadToEnd();
        // Without a timeout, WaitForExit also waits until the stderr events are all delivered.
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            string message;
            lock (err)
            {
                message = err.ToString().Trim();
            }
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed (exit {p.ExitCode}): {message}");
        }
        return output;
    }

    public static async Task<string> RunAsync(string tool, CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        var err = p.StandardError.ReadToEndAsync(ct);
        var output = await p.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed (exit {p.ExitCode}): {(await err.ConfigureAwait(false)).Trim()}");
        }
        return output;
    }
}
