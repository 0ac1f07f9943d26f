using ProServ.Core.Common;

namespace ProServ.Core.Features.Policies;

/// Like ValidationErrors, but readable: a dry run reports the errors instead of throwing them.
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        if (!list.Contains(message)) list.Add(message);
    }

    public void Require(bool condition, string field, string message)
    {
        if (!condition) Add(field, message);
    }

    public bool Any => _errors.Count > 0;

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new ValidationFailedException(ToDictionary());
    }
}
