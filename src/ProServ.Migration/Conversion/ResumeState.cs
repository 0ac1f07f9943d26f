using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ProServ.Migration.Layout;

namespace ProServ.Migration.Conversion;

/// <summary>What a later <c>--resume</c> needs of a finished run: where it stopped and with which layout.</summary>
internal sealed record ResumeState(string? Uuid, int LastRevision, int NextMark, string Layout)
{
    public const string StateDirName = "proserv-svn";

    public static string PathIn(string outputGitDir) => System.IO.Path.Combine(outputGitDir, StateDirName, "state.json");

    // Written and read by hand: reflection-based serialization costs more start-up time than a whole small conversion.
    public byte[] ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteString("uuid", Uuid);
            w.WriteNumber("lastRevision", LastRevision);
            w.WriteNumber("nextMark", NextMark);
            w.WriteString("layout", Layout);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    public static ResumeState Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return new ResumeState(r.GetProperty("uuid").GetString(), r.GetProperty("lastRevision").GetInt32(), r.GetProperty("nextMark").GetInt32(), r.GetProperty("layout").GetString() ?? "");
    }

    /// <summary>The state of an earlier run in the output repository, or null for a first run.</summary>
    public static async Task<ResumeState?> LoadAsync(SvnConversionOptions options, string layoutFingerprint, CancellationToken ct)
    {
        var statePath = PathIn(options.OutputGitDir!);
        if (!File.Exists(statePath))
        {
            return null;
        }
        if (!options.Resume)
        {
            throw new MigrationException($"{options.OutputGitDir} already holds a conversion; use --resume to continue it or choose another --out");
        }
        ResumeState? state;
        try
        {
            state = Parse(await File.ReadAllBytesAsync(statePath, ct).ConfigureAwait(false));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MigrationException($"{statePath} is damaged ({e.Message}); convert into a new repository");
        }
        if (state is null || state.Layout != layoutFingerprint)
        {
            throw new MigrationException("--resume needs the same layout, rules and conversion options as the first run");
        }
        return state;
    }

    public Task SaveAsync(string outputGitDir, CancellationToken ct) => File.WriteAllBytesAsync(PathIn(outputGitDir), ToJson(), ct);

    /// <summary>A hash of everything that decides the output besides the source: a resumed run must use the same.</summary>
    public static string Fingerprint(LayoutRules layout, SvnConversionOptions options)
    {
        var sb = new StringBuilder();
        foreach (var r in layout.Rules)
        {
            sb.Append(r.Pattern).Append('|').Append(r.Repository).Append('|').Append(r.Branch).Append('|').Append(r.Tag)
              .Append('|').Append(r.Prefix).Append('|').Append(r.MinRevision).Append('|').Append(r.MaxRevision).Append('|').Append(r.Ignore).Append('\n');
        }
        sb.Append(options.KeepDeleted).Append(options.NoGitignore).Append(options.RevisionTrailer).Append(options.EmptyDirs);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
