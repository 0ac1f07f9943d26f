using System.Globalization;
using ProServ.Migration.Git;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>
/// One conversion, phase by phase: open the source, plan (beside the conversion when the output is
/// new), open the streams, read and apply every revision, finish the refs, verify. The pieces do
/// the work; this class only sequences them and owns what they share.
/// </summary>
internal sealed class ConversionRun(SvnConversionOptions options, TimeProvider clock)
{
    private readonly LayoutRules _layout = options.Layout ?? LayoutRules.Standard(options.TrunkBranch);
    private readonly ConversionReport _report = new() { Source = options.Source };
    private readonly Revision _revision = new();
    private readonly Marks _marks = new();
    private readonly FastImportWriter _writer = new();
    private readonly HashSet<string> _missingAuthors = new(StringComparer.Ordinal);
    private readonly List<int> _revisionOrder = [];
    private long _phaseStart = clock.GetTimestamp();
    private OutputRepositories _repositories = null!;
    private BranchTracker _branches = null!;
    private TreeRetention _retention = null!;
    private RefFinalizer _refs = null!;
    private Task<PlanResult>? _pendingPlan;
    private int? _lastRevisionInDump;
    private string? _rereadPath;
    private string? _uuid;
    private int _resumeNextMark = -1;

    /// <summary>Records the time since the previous phase ended under <paramref name="name"/>.</summary>
    private void Phase(string name)
    {
        var now = clock.GetTimestamp();
        _report.PhaseSeconds[name] = Math.Round(clock.GetElapsedTime(_phaseStart, now).TotalSeconds, 3);
        _phaseStart = now;
    }

    public async Task<ConversionReport> RunAsync(CancellationToken ct)
    {
        if (options.OutputGitDir is null && options.StreamFile is null)
        {
            throw new MigrationException("an output repository (--out) or --stream FILE is required");
        }
        _repositories = new OutputRepositories(options, _layout);
        _branches = new BranchTracker(_layout);
        _retention = new TreeRetention(options.SweepRevisions, _report);
        _refs = new RefFinalizer(options, _layout, _branches, _writer, _repositories.DirOf);
        var created = options.StreamFile is null && !Directory.Exists(options.OutputGitDir);
        try
        {
            return await RunPhasesAsync(created, ct).ConfigureAwait(false);
        }
        catch when (created)
        {
            // The run created the output: leave nothing behind, as before the run.
            try
            {
                Directory.Delete(options.OutputGitDir!, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            throw;
        }
    }

    private async Task<ConversionReport> RunPhasesAsync(bool created, CancellationToken ct)
    {
        using var source = await DumpSource.OpenAsync(options.Source, ct).ConfigureAwait(false);
        var layoutFingerprint = ResumeState.Fingerprint(_layout, options);
        // git init and friends run while the plan is read.
        var prepare = options.StreamFile is null ? Task.Run(_repositories.Prepare, ct) : Task.CompletedTask;
        Phase("open");
        try
        {
            await PlanAsync(source, created, ct).ConfigureAwait(false);
        }
        finally
        {
            await prepare.ConfigureAwait(false);
        }
        Phase("plan");
        var resume = options.StreamFile is null ? await ResumeState.LoadAsync(options, layoutFingerprint, ct).ConfigureAwait(false) : null;
        if (resume is not null)
        {
            _revision.ReplayUntil = resume.LastRevision;
            _resumeNextMark = resume.NextMark;
        }
        BlobWriter? blobs = null;
        var last = -1;
        try
        {
            _repositories.Open(_writer, resume is not null);
            _writer.FeatureDone();
            var emptyBlobMark = _marks.Take();
            if (_revision.Emit || _revision.ReplayUntil < 0)
            {
                _writer.Blob(emptyBlobMark, []);
            }
            using (var reader = new DumpReader(source.Stream))
            {
                blobs = new BlobWriter(reader, _revision, _marks, _writer, _report, _rereadPath, options.StreamDeltasFrom);
                var nodes = new NodeApplier(_revision, blobs, _retention, _report, emptyBlobMark);
                var committer = new BranchCommitter(options, _layout, _revision, _branches, _retention,
                    new TreeDiff(!options.NoGitignore, options.EmptyDirs, emptyBlobMark), _writer, _marks, _report, () => _uuid);
                await Task.Run(() => ReadAllAsync(source, reader, blobs, nodes, committer, ct), ct).ConfigureAwait(false);
                await source.EnsureCompleteAsync(ct).ConfigureAwait(false);
                Phase("convert");
                _report.RetainedHeapMB = Math.Round(GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, 1);
            }
            ThrowIfAuthorsMissing();
            last = _revision.Number;
            if (resume is not null && last < resume.LastRevision)
            {
                throw new MigrationException($"--resume: the source ends at revision {last} but {resume.LastRevision} revisions were already converted; is it the same repository?");
            }
            if (resume is not null && resume.Uuid != _uuid)
            {
                throw new MigrationException("--resume: the source has a different repository UUID than the converted one");
            }
            if (resume is not null && last == resume.LastRevision)
            {
                // Nothing new: keep refs as they are.
                await _writer.AbortAsync().ConfigureAwait(false);
                _refs.FillReport(_report, last);
                _report.LastRevision = last;
                _report.FirstRevision = last + 1;
                return _report;
            }
            _refs.CheckConflicts();
            _refs.WriteTags(_uuid);
            _refs.WriteRefDeletions(resumed: _revision.ReplayUntil >= 0);
            await _writer.FinishAsync(ct).ConfigureAwait(false);
            Phase("fast-import");
        }
        catch (IOException e) when (_writer.Failed is { } dead)
        {
            // Writing failed because git fast-import stopped: its message is the useful one.
            await _writer.AbortAsync().ConfigureAwait(false);
            throw new MigrationException($"git fast-import stopped ({e.Message}): {dead.StdErr.Trim()}");
        }
        catch
        {
            await _writer.AbortAsync().ConfigureAwait(false);
            // A plan still being read ends on its own; its outcome no longer matters.
            _pendingPlan?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
        finally
        {
            blobs?.Dispose();
            _retention.Dispose();
        }
        if (options.StreamFile is null)
        {
            await new ResumeState(_uuid, last, _marks.Next, layoutFingerprint).SaveAsync(options.OutputGitDir!, ct).ConfigureAwait(false);
        }
        _report.Uuid = _uuid;
        _report.LastRevision = last;
        _report.FirstRevision = _revision.ReplayUntil + 1;
        _refs.FillReport(_report, last);
        Phase("refs");
        if (options.Verify && options.StreamFile is null)
        {
            var repo = await source.GetRepositoryAsync(ct).ConfigureAwait(false);
            _report.Verify = await SvnGitVerifier.VerifyAsync(repo, _revisionOrder, _report.Refs, _repositories.DirOf, ct).ConfigureAwait(false);
            Phase("verify");
        }
        return _report;
    }

    /// <summary>
    /// Learns copy sources (and missing authors) before anything is written: a header pass over a
    /// dump, svn log for a repository. A new output is removed again if anything fails, so the
    /// conversion need not wait for the plan: it keeps every revision's tree until the plan arrives.
    /// </summary>
    private async Task PlanAsync(DumpSource source, bool created, CancellationToken ct)
    {
        if (source.OpenScan() is { } scan)
        {
            _rereadPath = source.Seekable?.Name;
            if (created)
            {
                _pendingPlan = Task.Run(async () =>
                {
                    using (scan)
                    {
                        if (options.PlanGate is { } gate)
                        {
                            await gate.ConfigureAwait(false);
                        }
                        return PlanResult.Prescan(scan, options.Authors);
                    }
                }, ct);
                return;
            }
            using (scan)
            {
                AdoptPlan(PlanResult.Prescan(scan, options.Authors));
            }
        }
        else if (source.Repository is { } repository)
        {
            var (plan, authors) = await SvnLogPlanner.ReadAsync(repository, source.Youngest, ct).ConfigureAwait(false);
            AdoptPlan(new PlanResult(plan, [.. authors.Where(a => options.Authors is not null && !options.Authors.TryGet(a, out _))], source.Youngest));
        }
    }

    /// <summary>Takes a plan in: missing authors stop the run; trees kept meanwhile stay only if a later copy reads them.</summary>
    private void AdoptPlan(PlanResult result)
    {
        _lastRevisionInDump = result.LastRevision;
        _missingAuthors.UnionWith(result.MissingAuthors);
        ThrowIfAuthorsMissing();
        _retention.Adopt(result.Plan, _revision.Number);
    }

    /// <summary>Adopts the plan read beside the conversion once it is there (or waits for it when <paramref name="wait"/>).</summary>
    private async ValueTask AdoptPendingPlanAsync(bool wait)
    {
        if (_pendingPlan is not { } pending || (!wait && !pending.IsCompleted))
        {
            return;
        }
        _pendingPlan = null;
        AdoptPlan(await pending.ConfigureAwait(false));
    }

    private void ThrowIfAuthorsMissing()
    {
        if (_missingAuthors.Count > 0)
        {
            throw new MigrationException("authors missing from the authors file: " + string.Join(", ", _missingAuthors.Order(StringComparer.Ordinal)));
        }
    }

    private async Task ReadAllAsync(DumpSource source, DumpReader reader, BlobWriter blobs, NodeApplier nodes, BranchCommitter committer, CancellationToken ct)
    {
        var formatSeen = false;
        while (true)
        {
            DumpRecord? record;
            try
            {
                record = reader.Next();
            }
            catch (InvalidDataException e)
            {
                throw new DumpFormatException("corrupt compressed input: " + e.Message, _revision.Number, reader.Offset);
            }
            if (record is null)
            {
                break;
            }
            if (record.Get("SVN-fs-dump-format-version") is { } version)
            {
                formatSeen = true;
                if (version is not ("1" or "2" or "3"))
                {
                    throw new DumpFormatException($"unsupported dump format version {version}", _revision.Number, record.Offset);
                }
                if (version == "3")
                {
                    blobs.EnsureStore();
                }
            }
            else if (!formatSeen)
            {
                throw new DumpFormatException("not a Subversion dump: it does not start with SVN-fs-dump-format-version", -1, record.Offset);
            }
            else if (record.Get("UUID") is { } uuid && !record.Headers.ContainsKey("Revision-number"))
            {
                _uuid = uuid;
            }
            else if (record.Get("Revision-number") is { } numberText)
            {
                if (!int.TryParse(numberText, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    throw new DumpFormatException($"bad Revision-number \"{numberText}\"", _revision.Number, record.Offset);
                }
                await FinishRevisionAsync(nodes, committer).ConfigureAwait(false);
                var previous = _revision.Number;
                if (_resumeNextMark >= 0 && previous == _revision.ReplayUntil && _marks.Next != _resumeNextMark)
                {
                    throw new MigrationException($"--resume: revisions up to r{previous} differ from the ones converted before; is it the same repository?");
                }
                if (number <= previous)
                {
                    throw new DumpFormatException($"revision {number} follows revision {previous}: revisions are out of order", number, record.Offset);
                }
                StartRevision(number, record, reader);
                ct.ThrowIfCancellationRequested();
                options.Progress?.Report(new ConversionProgress(number, source.TotalRevisions ?? _lastRevisionInDump, reader.Offset, source.TotalBytes));
            }
            else if (record.Headers.ContainsKey("Node-path"))
            {
                if (_revision.Number < 0)
                {
                    throw new DumpFormatException("node record before the first revision", _revision.Number, record.Offset);
                }
                try
                {
                    nodes.Apply(record);
                }
                catch (KeyNotFoundException e)
                {
                    throw new DumpFormatException($"path \"{e.Message}\" does not exist", _revision.Number, record.Offset);
                }
            }
        }
        if (!formatSeen)
        {
            throw new DumpFormatException("empty input: not a Subversion dump", -1, 0);
        }
        await FinishRevisionAsync(nodes, committer).ConfigureAwait(false);
        await AdoptPendingPlanAsync(wait: true).ConfigureAwait(false);
    }

    private void StartRevision(int number, DumpRecord record, DumpReader reader)
    {
        _revision.Start(number, record.Props);
        reader.CurrentRevision = number;
        _revisionOrder.Add(number);
        _report.RevisionsRead++;
        if (options.Authors is not null && _revision.Author.Length > 0 && !options.Authors.TryGet(_revision.Author, out _))
        {
            // Keep reading to list every missing name at once; nothing is committed.
            _missingAuthors.Add(_revision.Author);
            _revision.ScanOnly = true;
        }
    }

    /// <summary>Commits the revision's branches, then decides which trees stay reachable.</summary>
    private async ValueTask FinishRevisionAsync(NodeApplier nodes, BranchCommitter committer)
    {
        var number = _revision.Number;
        if (number < 0)
        {
            return;
        }
        var tree = nodes.Tree;
        if (!committer.CommitRevision(tree) && _revision.Emit && _revision.Touched.Count > 0)
        {
            _report.EmptyRevisions.Add(number);
        }
        if (_pendingPlan is not null)
        {
            _retention.KeepInterim(number, tree);
            // Far ahead of the plan (a starved planner thread): wait for it rather than keep more.
            await AdoptPendingPlanAsync(wait: _retention.InterimCount >= TreeRetention.MaxInterimRoots).ConfigureAwait(false);
        }
        else
        {
            _retention.KeepIfSource(number, tree);
        }
        _retention.Expire(number);
        if (_retention.RevisionDone())
        {
            _retention.Sweep(tree, _branches.LastTrees());
        }
    }
}
