using Microsoft.Win32.SafeHandles;

namespace ProServ.Migration.Svn;

/// <summary>
/// Scratch files of a conversion. On Unix the name is removed as soon as the file is open, so
/// nothing is left behind even when the process is killed; elsewhere the file goes on close.
/// </summary>
internal static class TempFiles
{
    private static string NewPath(string prefix) => Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    public static FileStream CreateStream(string prefix, int bufferSize)
    {
        var path = NewPath(prefix);
        var f = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize, FileOptions.DeleteOnClose);
        Unlink(path);
        return f;
    }

    public static SafeFileHandle CreateHandle(string prefix)
    {
        var path = NewPath(prefix);
        var h = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        Unlink(path);
        return h;
    }

    private static void Unlink(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }
    }
}
