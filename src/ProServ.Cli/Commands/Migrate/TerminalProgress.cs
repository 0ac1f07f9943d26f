using System.Globalization;
using System.Text;
using ProServ.Migration;

namespace ProServ.Cli.Commands.Migrate;

/// <summary>One status line on stderr, redrawn at most four times a second; cleared at the end.</summary>
internal sealed class TerminalProgress(TimeProvider time, TextWriter err) : IProgress<ConversionProgress>
{
    private readonly long _start = time.GetTimestamp();
    private long _last;
    private int _width;

    public void Report(ConversionProgress value)
    {
        var now = time.GetTimestamp();
        // The first line after a quarter of a second, when a rate means something.
        if (time.GetElapsedTime(_width == 0 ? _start : _last, now).TotalMilliseconds < 250)
        {
            return;
        }
        _last = now;
        var secs = time.GetElapsedTime(_start, now).TotalSeconds;
        var fraction = value.TotalRevisions is > 0 ? Math.Min(1, (double)value.Revision / value.TotalRevisions.Value)
            : value.TotalBytes is > 0 ? (double)value.BytesRead / value.TotalBytes.Value : 0;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"r{value.Revision}");
        if (value.TotalRevisions is { } total)
        {
            line.Append(CultureInfo.InvariantCulture, $"/{total}");
        }
        if (fraction > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $" ({fraction:P0})");
        }
        line.Append(CultureInfo.InvariantCulture, $", {value.Revision / secs:0} rev/s");
        if (fraction > 0.005)
        {
            line.Append(CultureInfo.InvariantCulture, $", ETA {TimeSpan.FromSeconds(secs * (1 - fraction) / fraction):hh\\:mm\\:ss}");
        }
        var text = line.ToString();
        err.Write("\r" + text.PadRight(_width));
        _width = text.Length;
    }

    public void Done()
    {
        if (_width > 0)
        {
            err.Write("\r" + new string(' ', _width) + "\r");
        }
    }
}
