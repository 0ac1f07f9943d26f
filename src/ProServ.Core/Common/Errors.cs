namespace ProServ.Core.Common;

/// A request broke a business rule of the handbook. Carries the rule's id and one sentence that explains it;
/// the web host turns it into an RFC 9457 problem with a "rule" member.
public sealed class RuleViolationException(string rule, string detail, int status = 422)
    : Exception(detail)
{
    public string Rule { get; } = rule;
    public int Status { get; } = status;
}

/// Input that is wrong field by field. Every bad field is listed at once.
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// The thing does not exist, or the actor may not know that it does (tenant isolation answers 404, not 403).
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// The actor is known but lacks the right for this action.
public sealed class ForbiddenException(string detail) : Exception(detail);

/// The request conflicts with the current state (e.g. a stage transition that is not allowed from here).
public sealed class ConflictException(string title, string detail, string? rule = null) : Exception(detail)
{
    public string Title { get; } = title;
    public string? Rule { get; } = rule;
}

/// Collects field errors so a validator can report all of them together. A dry run reads them (ToDictionary)
/// instead of throwing them.
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        // Two checks may reach the same conclusion about one field; the reader needs it once.
        if (!list.Contains(message, StringComparer.Ordinal))
        {
            list.Add(message);
        }
    }

    public void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            Add(field, message);
        }
    }

    public bool Any => _errors.Count > 0;

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new ValidationFailedException(ToDictionary());
        }
    }
}
