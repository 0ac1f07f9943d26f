using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ProServ.Migration.Git;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Migration;

/// <summary>
/// Converts a Subversion dump stream into git through <c>git fast-import</c>. The SVN tree of every
/// revision is kept as a persistent tree whose files only hold blob marks, so copies are cheap and
/// file contents never stay in memory.
/// </summary>
public sealed class SvnToGitConverter(TimeProvider timeProvider)
{
    /// <summary>Runs a conversion. Throws <see cref="DumpFormatException"/> for bad dumps and
    /// <see cref="MigrationException"/> for other refusals; the target's refs are untouched then.</summary>
    public async Task<ConversionReport> ConvertAsync(SvnConversionOptions options, CancellationToken ct = default)
    {
        var start = timeProvider.GetTimestamp();
        var run = new ConversionRun(options, timeProvider);
        var report = await run.RunAsync(ct).ConfigureAwait(false);
        report.Seconds = Math.Round(timeProvider.GetElapsedTime(start).TotalSeconds, 3);
        using var self = Process.GetCurrentProcess();
        report.PeakMemoryMB = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1);
        report.ProcessorSeconds = Math.Round(self.TotalProcessorTime.TotalSeconds, 3);
        return report;
    }
}

internal sealed class ConversionRun(SvnConversionOptions o, TimeProvider clock)
{
    private long _phaseStart = clock.GetTimestamp();

    /// <summary>Records the time since the previous phase ended under <paramref name="name"/>.</summary>
    private void Phase(string name)
    {
        var now = clock.GetTimestamp();
        _report.PhaseSeconds[name] = Math.Round(clock.GetElapsedTime(_phaseStart, now).TotalSeconds, 3);
        _phaseStart = now;
    }

    private const string StateDirName = "proserv-svn";
    private readonly LayoutRules _layout = o.Layout ?? LayoutRules.Standard(o.TrunkBranch);
    private readonly ConversionReport _report = new() { Source = o.Source };
    private readonly Dictionary<string, FastImportTarget> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<int, SvnDir> _keptRoots = [];
    private Task<PlanResult>? _pendingPlan;
    private const int MaxInterimRoots = 1000;

    /// <summary>Every revision's tree while the plan is still being read.</summary>
    private readonly Dictionary<int, SvnDir> _interimRoots = [];
    private CopyPlan _plan = new();
    private int? _lastRevisionInDump;
    private string? _rereadPath;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly Dictionary<string, string> _refOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BranchState> _branches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unmatched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missingAuthors = new(StringComparer.Ordinal);
    private readonly List<int> _revisionOrder = [];
    private ContentStore? _store;
    private SvnDir _cur = new(SvnDir.NoChildren, SvnNode.NoProps);
    private NodeStore? _nodes;
    private int _revisionsSinceSweep;
    private int _nodesSinceSweep;

    /// <summary>Node records after which trees are swept to the node store even before <see cref="SvnConversionOptions.SweepRevisions"/>.</summary>
    private const int SweepNodes = 20_000;
    private int _nextMark = 1;
    private int _emptyBlobMark;
    private int _rev = -1;
    private int _replayUntil = -1;
    private string? _uuid;
    private bool _scanOnly;
    private int _resumeNextMark = -1;
    private DumpReader? _reader;

    // Current revision.
    private string _author = "";
    private long _date;
    private string _log = "";
    private readonly List<(string Path, string Action)> _touched = [];
    private readonly Dictionary<string, (string Path, int Rev)> _copies = new(StringComparer.Ordinal);

    private bool Emit => _rev > _replayUntil && !_scanOnly;

    private sealed class BranchState(string root, Placement placement)
    {
        public string Root { get; } = root;
        public Placement Placement { get; set; } = placement;
        public bool Live { get; set; }
        public int LastMark { get; set; }
        public SvnDir? LastTree { get; set; }
        public int LastRev { get; set; }
        public int CreatedRev { get; set; }
        public bool Modified { get; set; }
        public bool EverCommitted { get; set; }
        public (string Author, long Date, string Log) TagMeta { get; set; }
        public List<HistEntry> History { get; } = [];
        /// <summary>Per source branch root, the revision up to which its history is already in this branch.</summary>
        /// <remarks>Immutable and shared with the branch it forked from until either changes: tags copy trunk's for free.</remarks>
        public ImmutableDictionary<string, int> MergedUpTo { get; set; } = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);
        public List<string> DeletedRefs { get; } = [];

        public string Name => Placement.Ref.StartsWith("refs/tags/", StringComparison.Ordinal) ? Placement.Ref["refs/tags/".Length..]
            : Placement.Ref.StartsWith("refs/heads/", StringComparison.Ordinal) ? Placement.Ref["refs/heads/".Length..] : Placement.Ref;

        /// <summary>Ref commits go to: tags are committed as branches tags/NAME and become annotated tags at the end if never modified.</summary>
        public string CommitRef => Placement.IsTag ? "refs/heads/tags/" + Name : Placement.Ref;
    }

    private enum HistKind { Create, Commit, Delete }

    /// <summary>A change of a branch's commit: what a copy from the branch at a revision forks from, and what merges look for.</summary>
    private readonly record struct HistEntry(int Rev, int Mark, HistKind Kind);

    private sealed record ResumeState(string? Uuid, int LastRevision, int NextMark, string Layout)
    {
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
    }

    public async Task<ConversionReport> RunAsync(CancellationToken ct)
    {
        if (o.OutputGitDir is null && o.StreamFile is null)
        {
            throw new MigrationException("an output repository (--out) or --stream FILE is required");
        }
        var created = o.StreamFile is null && !Directory.Exists(o.OutputGitDir);
        try
        {
            return await RunCoreAsync(created, ct).ConfigureAwait(false);
        }
        catch when (created)
        {
            // The run created the output: leave nothing behind, as before the run.
            try
            {
                Directory.Delete(o.OutputGitDir!, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            throw;
        }
    }

    private async Task<ConversionReport> RunCoreAsync(bool created, CancellationToken ct)
    {
        using var source = await DumpSource.OpenAsync(o.Source, ct).ConfigureAwait(false);
        var stateDir = o.OutputGitDir is null ? null : Path.Combine(o.OutputGitDir, StateDirName);
        ResumeState? resume = null;
        var layoutFingerprint = LayoutFingerprint();
        // git init and friends run while the plan is read.
        var prepare = o.StreamFile is null ? Task.Run(PrepareRepositories, ct) : Task.CompletedTask;
        Phase("open");
        try
        {
            if (created && source.OpenScan() is { } scan)
            {
                // A new output is removed again if anything fails, so the conversion need not
                // wait for the plan: it keeps every revision's tree until the plan arrives.
                _rereadPath = source.Seekable?.Name;
                _pendingPlan = Task.Run(async () =>
                {
                    using (scan)
                    {
                        if (o.PlanGate is { } gate)
                        {
                            await gate.ConfigureAwait(false);
                        }
                        return Prescan(scan);
                    }
                }, ct);
            }
            else
            {
                await PlanAsync(source, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await prepare.ConfigureAwait(false);
        }
        Phase("plan");
        if (o.StreamFile is null)
        {
            var statePath = Path.Combine(stateDir!, "state.json");
            if (File.Exists(statePath))
            {
                if (!o.Resume)
                {
                    throw new MigrationException($"{o.OutputGitDir} already holds a conversion; use --resume to continue it or choose another --out");
                }
                try
                {
                    resume = ResumeState.Parse(await File.ReadAllBytesAsync(statePath, ct).ConfigureAwait(false));
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new MigrationException($"{statePath} is damaged ({e.Message}); convert into a new repository");
                }
                if (resume is null || resume.Layout != layoutFingerprint)
                {
                    throw new MigrationException("--resume needs the same layout, rules and conversion options as the first run");
                }
                _replayUntil = resume.LastRevision;
                _resumeNextMark = resume.NextMark;
            }
        }
        try
        {
            foreach (var name in _layout.Repositories)
            {
                var multi = _layout.Repositories.Count > 1;
                if (o.StreamFile is not null)
                {
                    _targets[name] = FastImportTarget.ToFile(name, multi ? o.StreamFile + "." + (name.Length == 0 ? "default" : name) : o.StreamFile);
                }
                else
                {
                    var gitDir = RepoDir(name);
                    _targets[name] = FastImportTarget.StartGit(name, gitDir, Path.Combine(stateDir!, "marks" + (multi ? "-" + (name.Length == 0 ? "default" : name) : "")), resume is not null);
                }
            }
            foreach (var t in _targets.Values)
            {
                t.Write("feature done\n");
            }
            _emptyBlobMark = _nextMark++;
            if (Emit || _replayUntil < 0)
            {
                foreach (var t in _targets.Values)
                {
                    t.Write("blob\nmark :");
                    t.WriteNumber(_emptyBlobMark);
                    t.Write("\ndata 0\n\n");
                }
            }

            using (_reader = new DumpReader(source.Stream))
            {
                await Task.Run(() => ReadAll(source, ct), ct).ConfigureAwait(false);
                await source.EnsureCompleteAsync(ct).ConfigureAwait(false);
                Phase("convert");
                _report.RetainedHeapMB = Math.Round(GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, 1);
            }
            ThrowIfAuthorsMissing();
            if (resume is not null && _rev < resume.LastRevision)
            {
                throw new MigrationException($"--resume: the source ends at revision {_rev} but {resume.LastRevision} revisions were already converted; is it the same repository?");
            }
            if (resume is not null && resume.Uuid != _uuid)
            {
                throw new MigrationException("--resume: the source has a different repository UUID than the converted one");
            }
            if (resume is not null && _rev == resume.LastRevision)
            {
                // Nothing new: keep refs as they are.
                await AbortAllAsync().ConfigureAwait(false);
                FillRefs();
                _report.LastRevision = _rev;
                _report.FirstRevision = _rev + 1;
                return _report;
            }
            CheckRefConflicts();
            WriteFinalRefs();
            WriteRefDeletions();
            foreach (var t in _targets.Values)
            {
                await t.FinishAsync(ct).ConfigureAwait(false);
            }
            Phase("fast-import");
        }
        catch (IOException e) when (_targets.Values.FirstOrDefault(t => t.HasFailed) is { } dead)
        {
            // Writing failed because git fast-import stopped: its message is the useful one.
            await AbortAllAsync().ConfigureAwait(false);
            throw new MigrationException($"git fast-import stopped ({e.Message}): {dead.StdErr.Trim()}");
        }
        catch
        {
            await AbortAllAsync().ConfigureAwait(false);
            // A plan still being read ends on its own; its outcome no longer matters.
            _pendingPlan?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
        finally
        {
            _store?.Dispose();
            _nodes?.Dispose();
        }
        if (o.StreamFile is null)
        {
            var state = new ResumeState(_uuid, _rev, _nextMark, layoutFingerprint);
            await File.WriteAllBytesAsync(Path.Combine(stateDir!, "state.json"), state.ToJson(), ct).ConfigureAwait(false);
        }
        _report.Uuid = _uuid;
        _report.LastRevision = _rev;
        _report.FirstRevision = _replayUntil + 1;
        FillRefs();
        Phase("refs");
        if (o.Verify && o.StreamFile is null)
        {
            var repo = await source.GetRepositoryAsync(ct).ConfigureAwait(false);
            _report.Verify = await SvnGitVerifier.VerifyAsync(repo, _revisionOrder, _report.Refs, RepoDir, ct).ConfigureAwait(false);
            Phase("verify");
        }
        return _report;
    }

    /// <summary>Learns copy sources (and missing authors) before anything is written: a header pass over a dump, svn log for a repository.</summary>
    private async Task PlanAsync(DumpSource source, CancellationToken ct)
    {
        if (source.OpenScan() is { } scan)
        {
            using (scan)
            {
                AdoptPlan(Prescan(scan));
            }
            _rereadPath = source.Seekable?.Name;
        }
        else if (source.Repository is { } repository)
        {
            var (plan, authors) = await SvnLogPlanner.ReadAsync(repository, source.Youngest, ct).ConfigureAwait(false);
            _plan = plan;
            _lastRevisionInDump = source.Youngest;
            if (o.Authors is not null)
            {
                foreach (var a in authors.Where(a => !o.Authors.TryGet(a, out _)))
                {
                    _missingAuthors.Add(a);
                }
            }
            ThrowIfAuthorsMissing();
        }
    }

    private string RepoDir(string name) =>
        _layout.Repositories.Count > 1 ? Path.Combine(o.OutputGitDir!, (name.Length == 0 ? "default" : name) + ".git") : o.OutputGitDir!;

    private string LayoutFingerprint()
    {
        var sb = new StringBuilder();
        foreach (var r in _layout.Rules)
        {
            sb.Append(r.Pattern).Append('|').Append(r.Repository).Append('|').Append(r.Branch).Append('|').Append(r.Tag)
              .Append('|').Append(r.Prefix).Append('|').Append(r.MinRevision).Append('|').Append(r.MaxRevision).Append('|').Append(r.Ignore).Append('\n');
        }
        sb.Append(o.KeepDeleted).Append(o.NoGitignore).Append(o.RevisionTrailer).Append(o.EmptyDirs);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private void PrepareRepositories()
    {
        foreach (var name in _layout.Repositories)
        {
            var dir = RepoDir(name);
            var head = name.Length == 0 || _layout.Repositories.Count == 1 ? o.TrunkBranch : "main";
            if (!Directory.Exists(dir) || !Directory.EnumerateFileSystemEntries(dir).Any())
            {
                Directory.CreateDirectory(dir);
                GitCli.Run(null, "init", "-q", "--bare", "--initial-branch=" + head, dir);
                continue;
            }
            if (!File.Exists(Path.Combine(dir, "HEAD")))
            {
                throw new MigrationException($"{dir} exists and is not a bare git repository");
            }
            if (!o.Resume && !File.Exists(Path.Combine(o.OutputGitDir!, StateDirName, "state.json"))
                && GitCli.Run(dir, "for-each-ref", "--count=1").Length > 0)
            {
                throw new MigrationException($"{dir} already has refs; convert into an empty or new repository");
            }
            GitCli.Run(dir, "symbolic-ref", "HEAD", "refs/heads/" + head);
        }
        Directory.CreateDirectory(Path.Combine(o.OutputGitDir!, StateDirName));
    }

    /// <summary>
    /// Reads the headers of a seekable dump once before converting: lists missing authors before
    /// anything is written, and learns which revisions copies read from, so only those
    /// revisions' trees are kept in memory.
    /// </summary>
    private sealed record PlanResult(CopyPlan Plan, HashSet<string> MissingAuthors, int? LastRevision);

    /// <summary>
    /// Reads the headers of a dump (contents are skipped): the revisions copies read from, the
    /// last revision in the dump and the authors missing from the authors file. Touches no
    /// state of the run, so it can run beside the conversion.
    /// </summary>
    private PlanResult Prescan(Stream s)
    {
        var plan = new CopyPlan();
        var missing = new HashSet<string>(StringComparer.Ordinal);
        int? last = null;
        using var r = new DumpReader(s);
        while (r.Next() is { } rec)
        {
            if (rec.Get("Revision-number") is { } rn)
            {
                r.CurrentRevision = int.Parse(rn, CultureInfo.InvariantCulture);
                last = r.CurrentRevision;
                if (o.Authors is not null && rec.Props is { } p && p.TryGetValue("svn:author", out var a) && !o.Authors.TryGet(a, out _))
                {
                    missing.Add(a);
                }
            }
            else if (rec.Get("Node-copyfrom-rev") is { } cfr && int.TryParse(cfr, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                plan.AddCopy(n, r.CurrentRevision);
            }
        }
        return new PlanResult(plan, missing, last);
    }

    /// <summary>Takes a plan in: missing authors stop the run; trees kept meanwhile stay only if a later copy reads them.</summary>
    private void AdoptPlan(PlanResult result)
    {
        _plan = result.Plan;
        _lastRevisionInDump = result.LastRevision;
        _missingAuthors.UnionWith(result.MissingAuthors);
        ThrowIfAuthorsMissing();
        foreach (var (rev, root) in _interimRoots)
        {
            if (_plan.LastUseOf(rev) > _rev)
            {
                _keptRoots[rev] = root;
            }
        }
        _interimRoots.Clear();
        _report.KeptTreesPeak = Math.Max(_report.KeptTreesPeak, _keptRoots.Count);
    }

    /// <summary>Adopts the plan read beside the conversion once it is there (or waits for it when <paramref name="wait"/>).</summary>
    private void AdoptPendingPlan(bool wait)
    {
        if (_pendingPlan is not { } pending || (!wait && !pending.IsCompleted))
        {
            return;
        }
        _pendingPlan = null;
        AdoptPlan(pending.GetAwaiter().GetResult());
    }

    private void ThrowIfAuthorsMissing()
    {
        if (_missingAuthors.Count > 0)
        {
            throw new MigrationException("authors missing from the authors file: " + string.Join(", ", _missingAuthors.Order(StringComparer.Ordinal)));
        }
    }

    private async Task AbortAllAsync()
    {
        foreach (var t in _targets.Values)
        {
            await t.AbortAsync().ConfigureAwait(false);
        }
    }

    private void ReadAll(DumpSource source, CancellationToken ct)
    {
        var r = _reader!;
        var formatSeen = false;
        while (true)
        {
            DumpRecord? rec;
            try
            {
                rec = r.Next();
            }
            catch (InvalidDataException e)
            {
                throw new DumpFormatException("corrupt compressed input: " + e.Message, _rev, r.Offset);
            }
            if (rec is null)
            {
                break;
            }
            if (rec.Get("SVN-fs-dump-format-version") is { } ver)
            {
                formatSeen = true;
                if (ver is not ("1" or "2" or "3"))
                {
                    throw new DumpFormatException($"unsupported dump format version {ver}", _rev, rec.Offset);
                }
                if (ver == "3")
                {
                    _store ??= new ContentStore();
                }
            }
            else if (!formatSeen)
            {
                throw new DumpFormatException("not a Subversion dump: it does not start with SVN-fs-dump-format-version", -1, rec.Offset);
            }
            else if (rec.Get("UUID") is { } uuid && !rec.Headers.ContainsKey("Revision-number"))
            {
                _uuid = uuid;
            }
            else if (rec.Get("Revision-number") is { } rn)
            {
                if (!int.TryParse(rn, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    throw new DumpFormatException($"bad Revision-number \"{rn}\"", _rev, rec.Offset);
                }
                FinishRevision();
                if (_resumeNextMark >= 0 && _rev == _replayUntil && _nextMark != _resumeNextMark)
                {
                    throw new MigrationException($"--resume: revisions up to r{_rev} differ from the ones converted before; is it the same repository?");
                }
                if (n <= _rev)
                {
                    throw new DumpFormatException($"revision {n} follows revision {_rev}: revisions are out of order", n, rec.Offset);
                }
                StartRevision(n, rec);
                ct.ThrowIfCancellationRequested();
                o.Progress?.Report(new ConversionProgress(n, source.TotalRevisions ?? _lastRevisionInDump, r.Offset, source.TotalBytes));
            }
            else if (rec.Headers.ContainsKey("Node-path"))
            {
                if (_rev < 0)
                {
                    throw new DumpFormatException("node record before the first revision", _rev, rec.Offset);
                }
                try
                {
                    HandleNode(rec);
                }
                catch (KeyNotFoundException e)
                {
                    throw new DumpFormatException($"path \"{e.Message}\" does not exist", _rev, rec.Offset);
                }
            }
        }
        if (!formatSeen)
        {
            throw new DumpFormatException("empty input: not a Subversion dump", -1, 0);
        }
        FinishRevision();
        AdoptPendingPlan(wait: true);
    }

    private void StartRevision(int n, DumpRecord rec)
    {
        _rev = n;
        _reader!.CurrentRevision = n;
        _revisionOrder.Add(n);
        _report.RevisionsRead++;
        var props = rec.Props ?? [];
        _author = props.GetValueOrDefault("svn:author") ?? "";
        _log = props.GetValueOrDefault("svn:log") ?? "";
        _date = props.TryGetValue("svn:date", out var d)
            && DateTimeOffset.TryParse(d, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dt)
            ? dt.ToUnixTimeSeconds() : 0;
        if (o.Authors is not null && _author.Length > 0 && !o.Authors.TryGet(_author, out _))
        {
            // Keep reading to list every missing name at once; nothing is committed.
            _missingAuthors.Add(_author);
            _scanOnly = true;
        }
        _touched.Clear();
        _copies.Clear();
    }

    private static string NormPath(string p) => p.Trim('/');

    private void HandleNode(DumpRecord rec)
    {
        var path = NormPath(rec.Get("Node-path")!);
        _nodesSinceSweep++;
        var action = rec.Get("Node-action") ?? throw new DumpFormatException($"node \"{path}\" has no Node-action", _rev, rec.Offset);
        var kind = rec.Get("Node-kind");
        var existing = _cur.Lookup(path);
        if (action is "delete" or "replace")
        {
            if (existing is null)
            {
                throw new DumpFormatException($"{action} of \"{path}\", which does not exist", _rev, rec.Offset);
            }
            _cur = _cur.With(path, null);
            if (action == "delete")
            {
                _touched.Add((path, action));
                return;
            }
            existing = null;
        }
        SvnNode node;
        if (action is "add" or "replace")
        {
            var parent = path.Contains('/', StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : "";
            if (_cur.Lookup(parent) is not SvnDir)
            {
                throw new DumpFormatException($"add of \"{path}\" whose parent directory does not exist", _rev, rec.Offset);
            }
            if (rec.Get("Node-copyfrom-path") is { } cfp)
            {
                var cfrText = rec.Get("Node-copyfrom-rev");
                if (!int.TryParse(cfrText, NumberStyles.None, CultureInfo.InvariantCulture, out var cfr) || cfr >= _rev || cfr < 0)
                {
                    throw new DumpFormatException($"copy of \"{path}\" from invalid revision \"{cfrText}\"", _rev, rec.Offset);
                }
                var src = NormPath(cfp);
                var root = RootAt(cfr);
                node = root.Lookup(src) ?? throw new DumpFormatException($"copy of \"{path}\" from \"{src}\"@{cfr}, which does not exist", _rev, rec.Offset);
                _copies[path] = (src, cfr);
                if (rec.Get("Text-copy-source-md5") is { } csum && node is SvnFile && _store is not null && Emit)
                {
                    CheckMd5(_store.Get(((SvnFile)node).Mark), csum, rec, "copy source");
                }
            }
            else if (kind == "dir")
            {
                node = new SvnDir(SvnDir.NoChildren, SvnNode.NoProps);
            }
            else if (kind == "file")
            {
                node = new SvnFile(_emptyBlobMark, SvnNode.NoProps);
            }
            else
            {
                throw new DumpFormatException($"add of \"{path}\" without Node-kind", _rev, rec.Offset);
            }
        }
        else if (action == "change")
        {
            node = existing ?? throw new DumpFormatException($"change of \"{path}\", which does not exist", _rev, rec.Offset);
        }
        else
        {
            throw new DumpFormatException($"unknown Node-action \"{action}\"", _rev, rec.Offset);
        }

        var props = node.Props;
        if (rec.Props is not null)
        {
            if (rec.IsTrue("Prop-delta"))
            {
                var b = props.ToBuilder();
                foreach (var kv in rec.Props)
                {
                    b[kv.Key] = kv.Value;
                }
                foreach (var k in rec.DeletedProps ?? [])
                {
                    b.Remove(k);
                }
                props = b.ToImmutable();
            }
            else
            {
                props = rec.Props.Count == 0 ? SvnNode.NoProps : rec.Props.ToImmutableSortedDictionary(StringComparer.Ordinal);
            }
            props = SvnNode.KeepUsed(props, node is SvnDir, node.Props);
        }
        if (node is SvnDir dir)
        {
            if (rec.TextLength >= 0)
            {
                throw new DumpFormatException($"directory \"{path}\" has text content", _rev, rec.Offset);
            }
            node = ReferenceEquals(props, dir.Props) ? dir : dir.WithProps(props);
            if (props.TryGetValue("svn:externals", out var ext) && !string.Equals(dir.Prop("svn:externals"), ext, StringComparison.Ordinal))
            {
                _report.Externals.Add(new ExternalReport(path, _rev, ext));
            }
        }
        else
        {
            var f = (SvnFile)node;
            var mark = f.Mark;
            var special = props.ContainsKey("svn:special");
            if (rec.TextLength >= 0)
            {
                mark = rec.IsTrue("Text-delta") ? WriteDeltaBlob(rec, f, special) : WriteFullBlob(rec, special);
            }
            else if (special != f.IsSpecial && _store is not null)
            {
                mark = WriteBlobBytes(_store.Get(f.Mark), special);
            }
            node = mark == f.Mark && ReferenceEquals(props, f.Props) ? f : new SvnFile(mark, props);
        }
        _cur = _cur.With(path, node);
        _touched.Add((path, action));
    }

    private void CheckMd5(ReadOnlySpan<byte> content, string expected, DumpRecord rec, string what)
    {
        var got = Convert.ToHexStringLower(MD5.HashData(content));
        if (!string.Equals(got, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new DumpFormatException($"checksum mismatch for {what} of \"{rec.Get("Node-path")}\": expected MD5 {expected}, got {got}", _rev, rec.Offset);
        }
    }

    private int WriteFullBlob(DumpRecord rec, bool special)
    {
        var len = rec.TextLength;
        // svnadmin load checks MD5, and hand-edited dumps may carry a stale SHA-1. SHA-1 is much
        // faster here (hardware), so it is checked first when the text can be re-read from the
        // dump file to settle a SHA-1 mismatch with MD5.
        var expectedMd5 = rec.Get("Text-content-md5");
        var expectedSha1 = rec.Get("Text-content-sha1");
        var useSha1 = expectedSha1 is not null && (expectedMd5 is null || _rereadPath is not null);
        var textOffset = _reader!.Offset;
        if (special)
        {
            var data = new byte[len];
            _reader!.ReadTextExact(data);
            if (Emit)
            {
                if (rec.Get("Text-content-md5") is { } md5)
                {
                    CheckMd5(data, md5, rec, "text");
                }
            }
            return WriteBlobBytes(data, special);
        }
        var mark = _nextMark++;
        var store = _store;
        if (!Emit)
        {
            if (store is null)
            {
                _reader!.ReadText(static _ => { });
            }
            else
            {
                store.Begin(mark);
                _reader!.ReadText(store.Append);
                store.End();
            }
            return mark;
        }
        store?.Begin(mark);
        var hash = useSha1 ? _sha1 : expectedMd5 is not null ? _md5 : null;
        foreach (var t in _targets.Values)
        {
            t.Write("blob\nmark :");
            t.WriteNumber(mark);
            t.Write("\ndata ");
            t.WriteNumber(len);
            t.WriteByte((byte)'\n');
        }
        var targets = _targets.Values.ToArray();
        _reader!.ReadText(chunk =>
        {
            hash?.AppendData(chunk);
            store?.Append(chunk);
            foreach (var t in targets)
            {
                t.Write(chunk);
            }
        });
        store?.End();
        foreach (var t in targets)
        {
            t.WriteByte((byte)'\n');
        }
        _report.Blobs++;
        if (hash is not null)
        {
            var got = Convert.ToHexStringLower(hash.GetHashAndReset());
            var expected = useSha1 ? expectedSha1! : expectedMd5!;
            if (!string.Equals(got, expected, StringComparison.OrdinalIgnoreCase))
            {
                if (useSha1 && expectedMd5 is not null)
                {
                    got = Md5FromDumpFile(textOffset, len);
                    if (string.Equals(got, expectedMd5, StringComparison.OrdinalIgnoreCase))
                    {
                        return mark;
                    }
                    expected = expectedMd5;
                    useSha1 = false;
                }
                throw new DumpFormatException($"checksum mismatch for text of \"{rec.Get("Node-path")}\": expected {(useSha1 ? "SHA-1" : "MD5")} {expected}, got {got}", _rev, rec.Offset);
            }
        }
        return mark;
    }

    private string Md5FromDumpFile(long offset, long length)
    {
        using var f = new FileStream(_rereadPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        f.Position = offset;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buf = new byte[1 << 16];
        while (length > 0)
        {
            var n = f.Read(buf, 0, (int)Math.Min(buf.Length, length));
            if (n == 0)
            {
                break;
            }
            md5.AppendData(buf, 0, n);
            length -= n;
        }
        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private int WriteDeltaBlob(DumpRecord rec, SvnFile? baseFile, bool special)
    {
        if (_store is null)
        {
            _store = new ContentStore();
        }
        var baseLength = baseFile is null ? 0 : _store.LengthOf(baseFile.Mark);
        if (!special && (rec.TextLength > o.StreamDeltasFrom || baseLength > o.StreamDeltasFrom))
        {
            return WriteDeltaBlobStreamed(rec, baseFile, baseLength);
        }
        var delta = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, rec.TextLength));
        try
        {
            _reader!.ReadTextExact(delta.AsSpan(0, (int)rec.TextLength));
            var baseContent = baseFile is null ? [] : _store.Get(baseFile.Mark);
            if (rec.Get("Text-delta-base-md5") is { } bm)
            {
                CheckMd5(baseContent, bm, rec, "delta base");
            }
            var result = new ArrayBufferWriter<byte>(Math.Max(256, baseContent.Length + 256));
            try
            {
                SvnDiff.Apply(delta.AsSpan(0, (int)rec.TextLength), baseContent, result);
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                throw new DumpFormatException($"corrupt text delta for \"{rec.Get("Node-path")}\": {e.Message}", _rev, rec.Offset);
            }
            if (rec.Get("Text-content-md5") is { } md5)
            {
                CheckMd5(result.WrittenSpan, md5, rec, "text");
            }
            return WriteBlobBytes(result.WrittenSpan, special);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(delta);
        }
    }

    /// <summary>
    /// Large texts of format-3 dumps: the delta is spooled to a temporary file and applied window
    /// by window, reading the base from the content file, so a file's size never becomes memory.
    /// </summary>
    private int WriteDeltaBlobStreamed(DumpRecord rec, SvnFile? baseFile, long baseLength)
    {
        var store = _store!;
        using var spool = TempFiles.CreateStream("proserv-delta-", 1 << 16);
        _reader!.ReadText(spool.Write);
        if (rec.Get("Text-delta-base-md5") is { } bm)
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                for (long at = 0; at < baseLength; at += chunk.Length)
                {
                    var n = (int)Math.Min(chunk.Length, baseLength - at);
                    store.ReadAt(baseFile!.Mark, at, chunk.AsSpan(0, n));
                    md5.AppendData(chunk, 0, n);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            var got = Convert.ToHexStringLower(md5.GetHashAndReset());
            if (!string.Equals(got, bm, StringComparison.OrdinalIgnoreCase))
            {
                throw new DumpFormatException($"checksum mismatch for delta base of \"{rec.Get("Node-path")}\": expected MD5 {bm}, got {got}", _rev, rec.Offset);
            }
        }
        var mark = _nextMark++;
        var hash = rec.Get("Text-content-md5") is not null ? _md5 : null;
        try
        {
            spool.Position = 0;
            var length = SvnDiff.TargetLength(spool);
            spool.Position = 0;
            store.Begin(mark);
            var targets = Emit ? _targets.Values.ToArray() : [];
            foreach (var t in targets)
            {
                t.Write("blob\nmark :");
                t.WriteNumber(mark);
                t.Write("\ndata ");
                t.WriteNumber(length);
                t.WriteByte((byte)'\n');
            }
            SvnDiff.Apply(spool, baseLength, (offset, dest) => store.ReadAt(baseFile!.Mark, offset, dest), window =>
            {
                hash?.AppendData(window);
                store.Append(window);
                foreach (var t in targets)
                {
                    t.Write(window);
                }
            });
            store.End();
            foreach (var t in targets)
            {
                t.WriteByte((byte)'\n');
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new DumpFormatException($"corrupt text delta for \"{rec.Get("Node-path")}\": {e.Message}", _rev, rec.Offset);
        }
        if (Emit)
        {
            _report.Blobs++;
        }
        if (hash is not null)
        {
            var got = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(got, rec.Get("Text-content-md5"), StringComparison.OrdinalIgnoreCase))
            {
                throw new DumpFormatException($"checksum mismatch for text of \"{rec.Get("Node-path")}\": expected MD5 {rec.Get("Text-content-md5")}, got {got}", _rev, rec.Offset);
            }
        }
        return mark;
    }

    private static readonly byte[] LinkPrefix = "link "u8.ToArray();

    private int WriteBlobBytes(ReadOnlySpan<byte> raw, bool special)
    {
        var mark = _nextMark++;
        _store?.Put(mark, raw);
        if (!Emit)
        {
            return mark;
        }
        var content = special && raw.StartsWith(LinkPrefix) ? raw[LinkPrefix.Length..] : raw;
        foreach (var t in _targets.Values)
        {
            t.Write("blob\nmark :");
            t.WriteNumber(mark);
            t.Write("\ndata ");
            t.WriteNumber(content.Length);
            t.WriteByte((byte)'\n');
            t.Write(content);
            t.WriteByte((byte)'\n');
        }
        _report.Blobs++;
        return mark;
    }

    // ---- per-revision commit generation ----

    private void FinishRevision()
    {
        if (_rev < 0)
        {
            return;
        }
        var affected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, action) in _touched)
        {
            var pl = _layout.Classify(path, _rev);
            if (pl is not null && pl.Ref.Length > 0)
            {
                affected.Add(pl.BranchRoot);
                continue;
            }
            if (pl is null && action != "delete" && _cur.Lookup(path) is { } n && (n is SvnFile || _copies.ContainsKey(path)))
            {
                var roots = new SortedSet<string>(StringComparer.Ordinal);
                if (n is SvnDir copied)
                {
                    FindBranchRoots(copied, path, 0, roots);
                }
                // A copied container of branches (e.g. a whole project) is not "unmatched".
                if (roots.Count == 0 && _unmatched.Count < 1000 && _unmatched.Add(path))
                {
                    _report.UnmatchedPaths.Add(path);
                }
            }
            // A container (or the root) changed: every line of development below it may be affected.
            var prefix = path.Length == 0 ? "" : path + "/";
            foreach (var b in _branches.Values)
            {
                if (b.Live && b.Root.StartsWith(prefix, StringComparison.Ordinal))
                {
                    affected.Add(b.Root);
                }
            }
            if (action != "delete" && _cur.Lookup(path) is SvnDir d)
            {
                FindBranchRoots(d, path, 0, affected);
            }
        }
        var changed = false;
        foreach (var root in affected)
        {
            changed |= ProcessBranch(root);
        }
        if (!changed && Emit && _touched.Count > 0)
        {
            _report.EmptyRevisions.Add(_rev);
        }
        if (_pendingPlan is not null)
        {
            _interimRoots[_rev] = _cur;
            // Far ahead of the plan (a starved planner thread): wait for it rather than keep more.
            AdoptPendingPlan(wait: _interimRoots.Count >= MaxInterimRoots);
        }
        // Only trees a later copy reads are kept, and only until the last such copy.
        else if (_plan.IsSource(_rev))
        {
            _keptRoots[_rev] = _cur;
            _report.KeptTreesPeak = Math.Max(_report.KeptTreesPeak, _keptRoots.Count);
        }
        foreach (var source in _plan.ExpiringAfter(_rev))
        {
            _keptRoots.Remove(source);
        }
        if (++_revisionsSinceSweep >= o.SweepRevisions || _nodesSinceSweep >= SweepNodes)
        {
            Sweep();
        }
    }

    /// <summary>Moves the trees still needed to the node store, keeping in memory only the directories in recent use.</summary>
    private void Sweep()
    {
        _nodes ??= new NodeStore();
        var roots = new List<SvnDir> { _cur };
        roots.AddRange(_keptRoots.Values);
        roots.AddRange(_interimRoots.Values);
        foreach (var b in _branches.Values)
        {
            if (b.LastTree is { } t)
            {
                roots.Add(t);
            }
        }
        if (_nodes.Sweep(roots) > 0)
        {
            // Dropped directories are old, so only a full collection returns their memory; a
            // background one costs this thread next to nothing.
            GC.Collect(2, GCCollectionMode.Forced, blocking: false);
        }
        _revisionsSinceSweep = 0;
        _nodesSinceSweep = 0;
    }

    /// <summary>The repository tree after <paramref name="rev"/>; only copy sources are kept (the plan lists them).</summary>
    private SvnDir RootAt(int rev) =>
        // Revisions before the first one in the dump (incremental dumps) have no tree.
        _keptRoots.TryGetValue(rev, out var r) || _interimRoots.TryGetValue(rev, out r) ? r : SvnDir.Empty;

    private void FindBranchRoots(SvnDir dir, string path, int depth, SortedSet<string> found)
    {
        if (depth > 4)
        {
            return;
        }
        foreach (var (name, child) in dir.Children)
        {
            if (child is not SvnDir cd)
            {
                continue;
            }
            var p = path.Length == 0 ? name : path + "/" + name;
            var pl = _layout.Classify(p, _rev);
            if (pl is null)
            {
                FindBranchRoots(cd, p, depth + 1, found);
            }
            else if (pl.Ref.Length > 0 && pl.RelativePath.Length == 0)
            {
                found.Add(p);
            }
        }
    }

    private bool IsReplacedThisRevision(string root)
    {
        foreach (var (path, action) in _touched)
        {
            if (action is "replace" or "delete" or "add" && (path == root || path.Length == 0 || root.StartsWith(path + "/", StringComparison.Ordinal)))
            {
                if (action == "add" && path != root && !_copies.ContainsKey(path))
                {
                    continue;
                }
                return true;
            }
        }
        return false;
    }

    private (string Path, int Rev)? CopySourceOf(string root)
    {
        var p = root;
        while (true)
        {
            if (_copies.TryGetValue(p, out var src))
            {
                var suffix = root[p.Length..];
                return ((src.Path + suffix).Trim('/'), src.Rev);
            }
            if (p.Length == 0)
            {
                return null;
            }
            var i = p.LastIndexOf('/');
            p = i < 0 ? "" : p[..i];
        }
    }

    private (BranchState Branch, HistEntry Entry)? CommitHolding(string path, int rev)
    {
        var pl = _layout.Classify(path, rev);
        if (pl is null || pl.Ref.Length == 0 || !_branches.TryGetValue(pl.BranchRoot, out var b))
        {
            return null;
        }
        var h = b.History;
        int lo = 0, hi = h.Count - 1, best = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (h[mid].Rev <= rev)
            {
                best = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        // Several entries can share a revision (delete then re-create): take the last one at or before rev.
        if (best < 0 || h[best].Kind == HistKind.Delete || h[best].Mark == 0)
        {
            return null;
        }
        return (b, h[best]);
    }

    private bool ProcessBranch(string root)
    {
        var pl = _layout.Classify(root, _rev);
        if (pl is null || pl.Ref.Length == 0 || pl.RelativePath.Length != 0)
        {
            return false;
        }
        var newTree = _cur.Lookup(root) as SvnDir;
        var refKey = pl.Repository + "\n" + pl.Ref;
        if (!_refOwners.TryGetValue(refKey, out var owner))
        {
            _refOwners[refKey] = root;
        }
        else if (owner != root)
        {
            // Two SVN directories map to the same ref (e.g. trunk and branches/main): keep both.
            var alias = pl.Ref + "_" + LayoutRules.SanitizeRefPart(root.Replace('/', '_'));
            if (!_branches.ContainsKey(root) && newTree is not null)
            {
                Warn($"{root} maps to {pl.Ref}, which {owner} already uses: converted as {alias}");
            }
            pl = pl with { Ref = alias };
        }
        if (!_branches.TryGetValue(root, out var b))
        {
            if (newTree is null)
            {
                return false;
            }
            b = new BranchState(root, pl);
            _branches[root] = b;
        }
        var target = _targets[pl.Repository];
        var changed = false;
        if (b.Live && (newTree is null || IsReplacedThisRevision(root)))
        {
            EndLifetime(b, target);
            changed = true;
        }
        if (newTree is null)
        {
            return changed;
        }
        b.Placement = pl;
        if (!b.Live)
        {
            return StartLifetime(b, newTree, target) || changed;
        }
        var ops = new List<FileOp>();
        Diff(b.LastTree, newTree, pl.Prefix, ops, true);
        var merges = FindMerges(b, newTree);
        if (ops.Count == 0 && merges.Count == 0)
        {
            b.LastTree = newTree;
            return changed;
        }
        if (b.Placement.IsTag && !b.Modified)
        {
            b.Modified = true;
            Warn($"tag {b.Name} ({root}) was modified in r{_rev} after its creation in r{b.CreatedRev}: kept as branch tags/{b.Name}");
            if (!b.EverCommitted && b.LastMark > 0 && Emit)
            {
                // A tag that was a pure copy has no ref yet; its branch starts at the tagged commit.
                target.Write("reset " + b.CommitRef + "\nfrom :" + b.LastMark.ToString(CultureInfo.InvariantCulture) + "\n");
            }
        }
        if (b.LastMark == 0 && Emit)
        {
            target.Write("reset " + b.CommitRef + "\n");
        }
        Committed(b, WriteCommit(target, b.CommitRef, b.LastMark, merges, ops, false), newTree, HistKind.Commit);
        return true;
    }

    /// <summary>Records a commit written for <paramref name="b"/> at this revision.</summary>
    private void Committed(BranchState b, int mark, SvnDir tree, HistKind kind)
    {
        b.EverCommitted = true;
        b.LastMark = mark;
        b.LastTree = tree;
        b.LastRev = _rev;
        b.History.Add(new HistEntry(_rev, mark, kind));
    }

    private void EndLifetime(BranchState b, FastImportTarget target)
    {
        b.Live = false;
        b.LastTree = null;
        b.History.Add(new HistEntry(_rev, 0, HistKind.Delete));
        if (o.KeepDeleted && b.LastMark > 0)
        {
            var kept = "refs/deleted/r" + _rev.ToString(CultureInfo.InvariantCulture) + (b.Placement.IsTag ? "/tags/" : "/heads/") + b.Name;
            if (Emit)
            {
                target.Write("reset " + kept + "\nfrom :" + b.LastMark.ToString(CultureInfo.InvariantCulture) + "\n\n");
            }
            b.DeletedRefs.Add(kept);
        }
    }

    private bool StartLifetime(BranchState b, SvnDir newTree, FastImportTarget target)
    {
        var src = CopySourceOf(b.Root);
        (BranchState Branch, HistEntry Entry)? parent = src is { } s ? CommitHolding(s.Path, s.Rev) : null;
        if (parent is { } pp && pp.Branch.Placement.Repository != b.Placement.Repository)
        {
            parent = null;
        }
        b.Live = true;
        b.Modified = false;
        b.EverCommitted = false;
        b.CreatedRev = _rev;
        b.MergedUpTo = b.MergedUpTo.Clear();
        if (parent is { } fork)
        {
            b.MergedUpTo = fork.Branch.MergedUpTo.SetItem(fork.Branch.Root, fork.Entry.Rev);
        }
        b.TagMeta = (_author, _date, _log);
        var samePrefix = parent is { } p0 && p0.Branch.Placement.Prefix == b.Placement.Prefix;
        // The parent commit's tree is the source branch's tree at the copied revision, which the plan kept.
        var parentTree = parent is { } pt && src is { } st ? RootAt(st.Rev).Lookup(pt.Branch.Root) as SvnDir : null;
        if (b.Placement.IsTag && parent is not null && samePrefix && SvnNode.Same(parentTree, newTree))
        {
            b.LastMark = parent.Value.Entry.Mark;
            b.LastTree = newTree;
            b.LastRev = _rev;
            b.History.Add(new HistEntry(_rev, b.LastMark, HistKind.Create));
            return true;
        }
        var ops = new List<FileOp>();
        var deleteAll = parent is not null && (!samePrefix || parentTree is null);
        Diff(parent is not null && !deleteAll ? parentTree : null, newTree, b.Placement.Prefix, ops, true);
        if (parent is null && ops.Count == 0)
        {
            // An empty directory with no history (e.g. trunk in the layout revision): the first
            // commit comes with the first content.
            b.LastMark = 0;
            b.LastTree = newTree;
            b.LastRev = _rev;
            b.History.Add(new HistEntry(_rev, 0, HistKind.Create));
            return false;
        }
        if (Emit && parent is null)
        {
            target.Write("reset " + b.CommitRef + "\n");
        }
        Committed(b, WriteCommit(target, b.CommitRef, parent?.Entry.Mark ?? 0, [], ops, deleteAll), newTree, HistKind.Create);
        return true;
    }

    private void Warn(string message)
    {
        if (Emit)
        {
            _report.Warnings.Add(message);
        }
    }

    private readonly record struct FileOp(bool Delete, string Path, string? Mode, int Mark, string? Inline);

    private void Diff(SvnDir? a, SvnDir b, string path, List<FileOp> ops, bool isRoot)
    {
        if (SvnNode.Same(a, b))
        {
            return;
        }
        if (!o.NoGitignore)
        {
            var ia = IgnoreText(a);
            var ib = IgnoreText(b);
            if (!string.Equals(ia, ib, StringComparison.Ordinal) && !b.Children.ContainsKey(".gitignore"))
            {
                ops.Add(ib.Length == 0 ? new FileOp(true, path + ".gitignore", null, 0, null) : new FileOp(false, path + ".gitignore", "100644", 0, ib));
            }
        }
        if (o.EmptyDirs && !isRoot)
        {
            var aEmpty = a is not null && a.Children.IsEmpty;
            if (b.Children.IsEmpty && !aEmpty)
            {
                ops.Add(new FileOp(false, path + ".gitkeep", "100644", _emptyBlobMark, null));
            }
            else if (!b.Children.IsEmpty && aEmpty)
            {
                ops.Add(new FileOp(true, path + ".gitkeep", null, 0, null));
            }
        }
        var ea = (a ?? SvnDir.Empty).Children.GetEnumerator();
        var eb = b.Children.GetEnumerator();
        var hasA = ea.MoveNext();
        var hasB = eb.MoveNext();
        while (hasA || hasB)
        {
            var cmp = !hasA ? 1 : !hasB ? -1 : string.CompareOrdinal(ea.Current.Key, eb.Current.Key);
            if (cmp < 0)
            {
                ops.Add(new FileOp(true, path + ea.Current.Key, null, 0, null));
                hasA = ea.MoveNext();
            }
            else if (cmp > 0)
            {
                AddNode(null, eb.Current.Value, path + eb.Current.Key, ops);
                hasB = eb.MoveNext();
            }
            else
            {
                // Unchanged entries are shared between trees: skip them before building any path.
                if (!SvnNode.Same(ea.Current.Value, eb.Current.Value))
                {
                    AddNode(ea.Current.Value, eb.Current.Value, path + eb.Current.Key, ops);
                }
                hasA = ea.MoveNext();
                hasB = eb.MoveNext();
            }
        }
    }

    private void AddNode(SvnNode? a, SvnNode b, string path, List<FileOp> ops)
    {
        if (SvnNode.Same(a, b))
        {
            return;
        }
        if (b is SvnFile fb)
        {
            if (a is SvnFile fa && fa.Mark == fb.Mark && fa.GitMode == fb.GitMode)
            {
                return;
            }
            if (a is SvnDir)
            {
                ops.Add(new FileOp(true, path, null, 0, null));
            }
            ops.Add(new FileOp(false, path, fb.GitMode, fb.Mark, null));
            return;
        }
        if (a is SvnFile)
        {
            ops.Add(new FileOp(true, path, null, 0, null));
            a = null;
        }
        Diff(a as SvnDir, (SvnDir)b, path + "/", ops, false);
    }

    private static string IgnoreText(SvnDir? d)
    {
        if (d is null || d.Props.IsEmpty)
        {
            return "";
        }
        var ig = d.Prop("svn:ignore");
        var gi = d.Prop("svn:global-ignores");
        if (ig is null && gi is null)
        {
            return "";
        }
        var sb = new StringBuilder();
        foreach (var line in (ig ?? "").Split('\n'))
        {
            var t = line.Trim();
            if (t.Length > 0)
            {
                sb.Append('/').Append(t).Append('\n');
            }
        }
        foreach (var line in (gi ?? "").Split('\n'))
        {
            var t = line.Trim();
            if (t.Length > 0)
            {
                sb.Append(t).Append('\n');
            }
        }
        return sb.ToString();
    }

    private List<int> FindMerges(BranchState b, SvnDir newTree)
    {
        var oldMi = b.LastTree?.Prop("svn:mergeinfo");
        var newMi = newTree.Prop("svn:mergeinfo");
        if (newMi is null || string.Equals(oldMi, newMi, StringComparison.Ordinal))
        {
            return [];
        }
        var before = ParseMergeinfo(oldMi);
        var after = ParseMergeinfo(newMi);
        var result = new List<int>();
        foreach (var (srcPath, ranges) in after)
        {
            if (before.TryGetValue(srcPath, out var old) && old.SequenceEqual(ranges))
            {
                continue;
            }
            var pl = _layout.Classify(srcPath, _rev);
            if (pl is null || pl.Ref.Length == 0 || pl.RelativePath.Length != 0 || pl.BranchRoot == b.Root
                || pl.Repository != b.Placement.Repository || !_branches.TryGetValue(pl.BranchRoot, out var src))
            {
                continue;
            }
            var maxRev = ranges.Max(r => r.End);
            // Source commits not yet in this branch's history (after its fork point or last merge)
            // must all be covered: otherwise it was a cherry-pick, which git cannot represent as a merge.
            var h = src.History;
            var lastIdx = -1;
            for (var i = h.Count - 1; i >= 0; i--)
            {
                if (h[i].Rev <= maxRev)
                {
                    lastIdx = i;
                    break;
                }
            }
            if (lastIdx < 0 || h[lastIdx].Kind == HistKind.Delete || h[lastIdx].Mark == 0)
            {
                continue;
            }
            var baseRev = b.MergedUpTo.GetValueOrDefault(pl.BranchRoot, -1);
            var complete = true;
            var pending = 0;
            var creationOnly = false;
            for (var i = lastIdx; i >= 0 && h[i].Kind != HistKind.Delete && h[i].Rev > baseRev; i--)
            {
                if (h[i].Kind == HistKind.Create)
                {
                    // A branch with no commits of its own yet: merging it means merging its creation.
                    if (pending == 0 && h[i].Mark > 0 && ranges.Any(r => r.Start <= h[i].Rev && h[i].Rev <= r.End))
                    {
                        creationOnly = true;
                    }
                    break;
                }
                if (h[i].Kind != HistKind.Commit)
                {
                    continue;
                }
                pending++;
                if (!ranges.Any(r => r.Start <= h[i].Rev && h[i].Rev <= r.End))
                {
                    complete = false;
                    break;
                }
            }
            if (!complete || (pending == 0 && !creationOnly))
            {
                continue;
            }
            var mark = h[lastIdx].Mark;
            if (mark == b.LastMark || result.Contains(mark))
            {
                continue;
            }
            b.MergedUpTo = b.MergedUpTo.SetItem(pl.BranchRoot, h[lastIdx].Rev);
            result.Add(mark);
        }
        return result;
    }

    private static Dictionary<string, List<(int Start, int End)>> ParseMergeinfo(string? mi)
    {
        var d = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        if (mi is null)
        {
            return d;
        }
        foreach (var line in mi.Split('\n'))
        {
            var colon = line.LastIndexOf(':');
            if (colon <= 0)
            {
                continue;
            }
            var list = new List<(int, int)>();
            foreach (var part in line[(colon + 1)..].Split(','))
            {
                var r = part.Trim().TrimEnd('*');
                var dash = r.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0 && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var one))
                {
                    list.Add((one, one));
                }
                else if (dash > 0 && int.TryParse(r[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                         && int.TryParse(r[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var e))
                {
                    list.Add((s, e));
                }
            }
            if (list.Count > 0)
            {
                d[NormPath(line[..colon])] = list;
            }
        }
        return d;
    }

    private (string Name, string Email) Identity()
    {
        if (_author.Length == 0)
        {
            return ("(no author)", "(no author)@" + (_uuid ?? "unknown"));
        }
        if (o.Authors is not null && o.Authors.TryGet(_author, out var id))
        {
            return id;
        }
        var lt = _author.IndexOf('<', StringComparison.Ordinal);
        var gt = _author.LastIndexOf('>');
        if (lt >= 0 && gt > lt)
        {
            return (_author[..lt].Trim(), _author[(lt + 1)..gt].Trim());
        }
        var clean = _author.Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return (clean, clean + "@" + (_uuid ?? "unknown"));
    }

    private string Message()
    {
        var msg = _log.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        if (msg.Length > 0)
        {
            msg += "\n";
        }
        if (o.RevisionTrailer)
        {
            msg += (msg.Length > 0 ? "\n" : "") + "SVN-Revision: " + _rev.ToString(CultureInfo.InvariantCulture) + "\n";
        }
        return msg;
    }

    private int WriteCommit(FastImportTarget t, string refName, int from, List<int> merges, List<FileOp> ops, bool deleteAll)
    {
        var mark = _nextMark++;
        if (!Emit)
        {
            return mark;
        }
        var (name, email) = Identity();
        var who = name + " <" + email + "> " + _date.ToString(CultureInfo.InvariantCulture) + " +0000\n";
        var msg = Encoding.UTF8.GetBytes(Message());
        var sb = new StringBuilder(256);
        sb.Append("commit ").Append(refName).Append("\nmark :").Append(mark.ToString(CultureInfo.InvariantCulture)).Append('\n')
          .Append("author ").Append(who).Append("committer ").Append(who)
          .Append("data ").Append(msg.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        t.Write(sb.ToString());
        t.Write(msg);
        sb.Clear();
        if (from > 0)
        {
            sb.Append("from :").Append(from.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        foreach (var m in merges)
        {
            sb.Append("merge :").Append(m.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        if (deleteAll)
        {
            sb.Append("deleteall\n");
        }
        t.Write(sb.ToString());
        foreach (var op in ops)
        {
            sb.Clear();
            var p = FastImportTarget.QuotePath(op.Path);
            if (op.Delete)
            {
                t.Write("D " + p + "\n");
            }
            else if (op.Inline is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(op.Inline);
                t.Write("M " + op.Mode + " inline " + p + "\ndata " + bytes.Length.ToString(CultureInfo.InvariantCulture) + "\n");
                t.Write(bytes);
                t.WriteByte((byte)'\n');
            }
            else
            {
                t.Write(sb.Append("M ").Append(op.Mode).Append(" :").Append(op.Mark.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(p).Append('\n').ToString());
            }
        }
        t.WriteByte((byte)'\n');
        _report.Commits++;
        if (merges.Count > 0)
        {
            _report.Merges++;
        }
        return mark;
    }

    /// <summary>
    /// git cannot hold both refs/heads/a and refs/heads/a/b, and fast-import would update the
    /// refs it can and fail on the rest: refuse before sending <c>done</c>, so no ref changes.
    /// </summary>
    private void CheckRefConflicts()
    {
        foreach (var name in _layout.Repositories)
        {
            var refs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var b in _branches.Values.Where(b => b.Placement.Repository == name))
            {
                refs.Add(b.Placement.Ref);
                if (b.Placement.IsTag)
                {
                    refs.Add(b.CommitRef);
                }
                refs.UnionWith(b.DeletedRefs);
            }
            if (o.StreamFile is null)
            {
                refs.UnionWith(GitCli.Run(RepoDir(name), "for-each-ref", "--format=%(refname)").Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
            foreach (var r in refs)
            {
                for (var i = r.IndexOf('/', "refs/".Length); i > 0; i = r.IndexOf('/', i + 1))
                {
                    if (refs.Contains(r[..i]))
                    {
                        throw new MigrationException($"refs {r[..i]} and {r} cannot both exist in git; change the branch names in the rules (nothing was written)");
                    }
                }
            }
        }
    }

    private void WriteFinalRefs()
    {
        foreach (var b in _branches.Values)
        {
            if (!b.Live || !b.Placement.IsTag || b.Modified || b.LastMark == 0)
            {
                continue;
            }
            var t = _targets[b.Placement.Repository];
            var (author, date, log) = b.TagMeta;
            var saved = (_author, _date, _log);
            (_author, _date, _log) = (author, date, log);
            var (name, email) = Identity();
            var msg = Encoding.UTF8.GetBytes(_log.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n");
            (_author, _date, _log) = saved;
            t.Write("tag " + b.Name + "\nfrom :" + b.LastMark.ToString(CultureInfo.InvariantCulture) + "\ntagger " + name + " <" + email + "> "
                + date.ToString(CultureInfo.InvariantCulture) + " +0000\ndata " + msg.Length.ToString(CultureInfo.InvariantCulture) + "\n");
            t.Write(msg);
            t.WriteByte((byte)'\n');
        }
    }

    private void FillRefs()
    {
        _report.Refs.Clear();
        foreach (var b in _branches.Values.OrderBy(b => b.Root, StringComparer.Ordinal))
        {
            var repo = b.Placement.Repository;
            if (b.Live && b.LastMark > 0)
            {
                var kind = !b.Placement.IsTag ? "branch" : b.Modified ? "modified-tag" : "tag";
                var r = !b.Placement.IsTag ? b.Placement.Ref : b.Modified ? b.CommitRef : b.Placement.Ref;
                _report.Refs.Add(new RefReport(repo, r, kind, b.Root, _rev, b.Placement.Prefix));
            }
            foreach (var d in b.DeletedRefs)
            {
                var rev = int.Parse(d["refs/deleted/r".Length..d.IndexOf('/', "refs/deleted/r".Length)], CultureInfo.InvariantCulture);
                _report.Refs.Add(new RefReport(repo, d, "deleted", b.Root, rev - 1, b.Placement.Prefix));
            }
        }
    }

    /// <summary>
    /// Drops, inside the fast-import stream, every ref a branch ever used that is not a final ref
    /// (temporary tag branches, deleted branches, refs of an earlier run when resuming), so refs
    /// change in git's one final update and no other git process runs afterwards.
    /// </summary>
    private void WriteRefDeletions()
    {
        foreach (var (name, t) in _targets)
        {
            var keep = new HashSet<string>(StringComparer.Ordinal);
            var candidates = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var b in _branches.Values.Where(b => b.Placement.Repository == name))
            {
                candidates.Add(b.Placement.Ref);
                candidates.Add(b.CommitRef);
                keep.UnionWith(b.DeletedRefs);
                if (b.Live)
                {
                    keep.Add(!b.Placement.IsTag ? b.Placement.Ref : b.Modified ? b.CommitRef : b.Placement.Ref);
                }
            }
            foreach (var r in candidates.Where(r => !keep.Contains(r)))
            {
                // A ref reset without "from" is dropped at the end; "from" the null id also deletes
                // it from disk, which costs a ref lock each, so only when an earlier run can have written it.
                t.Write(_replayUntil < 0 ? "reset " + r + "\n\n" : "reset " + r + "\nfrom " + NullId + "\n\n");
            }
        }
    }

    private const string NullId = "0000000000000000000000000000000000000000";
}
