using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ProServ.Core.Common;

namespace ProServ.Core.Data;

/// Holds every saved value to the limits the model already declares, the same on SQLite (which enforces none of them)
/// and PostgreSQL (which refuses them with an error that would be a 500): text longer than its maximum length, text
/// with a NUL character, decimals with more integer digits than their precision. A breach is a 422 naming the field,
/// for every caller (API, pages, CLI), and nothing is written.
public sealed class StoredValueGuard : SaveChangesInterceptor
{
    public static readonly StoredValueGuard Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? context)
    {
        if (context is null) return;
        var errors = new ValidationErrors();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var p in entry.Properties)
            {
                if (entry.State == EntityState.Modified && !p.IsModified) continue;
                var field = JsonNamingPolicy.CamelCase.ConvertName(p.Metadata.Name);
                switch (p.CurrentValue)
                {
                    case string s:
                        if (s.Contains('\0', StringComparison.Ordinal))
                        {
                            errors.Add(field, "Remove the NUL character (U+0000); text may not contain it.");
                        }
                        if (p.Metadata.GetMaxLength() is { } max && s.Length > max)
                        {
                            errors.Add(field, $"Enter at most {max} characters (this is {s.Length}).");
                        }
                        break;
                    case decimal d when p.Metadata.GetPrecision() is { } precision:
                        var integerDigits = precision - (p.Metadata.GetScale() ?? 0);
                        if (integerDigits < 29 && Math.Abs(decimal.Truncate(d)) >= Pow10(integerDigits))
                        {
                            errors.Add(field, $"Enter a number with at most {integerDigits} digits before the decimal point.");
                        }
                        break;
                }
            }
        }
        errors.ThrowIfAny();
    }

    private static decimal Pow10(int n)
    {
        var r = 1m;
        for (var i = 0; i < n; i++) r *= 10;
        return r;
    }
}
