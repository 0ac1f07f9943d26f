using Microsoft.AspNetCore.Mvc.ModelBinding;
using ProServ.Core.Features.Catalog;

namespace ProServ.Web.Pages.Catalog;

public sealed class PackageForm
{
    public string? Name { get; set; }
    public string? Unit { get; set; }
    public decimal? RomLow { get; set; }
    public decimal? RomHigh { get; set; }
    public string? Currency { get; set; }
    public string? TypicalDuration { get; set; }

    /// One deliverable per line.
    public string? Deliverables { get; set; }

    public bool IsActive { get; set; } = true;

    public static PackageForm From(PackageDto p) => new()
    {
        Name = p.Name,
        Unit = p.Unit,
        RomLow = p.RomLow,
        RomHigh = p.RomHigh,
        Currency = p.Currency,
        TypicalDuration = p.TypicalDuration,
        Deliverables = string.Join('\n', p.Deliverables),
        IsActive = p.IsActive,
    };

    public PackageInput ToInput() => new(
        Name ?? "", Unit ?? "", RomLow, RomHigh, Currency ?? "", TypicalDuration ?? "",
        (Deliverables ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), IsActive);

    /// The browser sends what it cannot parse as a number as a binding error; say it in words a person understands.
    public static void ExplainBindingErrors(ModelStateDictionary modelState)
    {
        foreach (var key in new[] { "Input.RomLow", "Input.RomHigh" })
        {
            if (modelState.TryGetValue(key, out var e) && e.Errors.Count > 0)
            {
                e.Errors.Clear();
                modelState.AddModelError(key, "Enter an amount such as 12000 or 12000.50.");
            }
        }
    }
}
