using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.SowRequests;

/// Checks a SOW request against its template and the eligibility rules: every missing or bad field at once, the
/// rules that fire, the scoping it needs and the board labels it will carry. A dry run and filing share it.
public sealed class SowRequestEvaluator(ProServDbContext db, SowRequestTemplateService templates)
{
    public async Task<(SowRequestCheck Check, Customer? Customer, List<Offering>? Offerings, EligibilityFacts? Facts)> EvaluateAsync(
        Actor actor, SowRequestInput input, CancellationToken ct)
    {
        var template = await templates.GetTemplateAsync(ct);
        var errors = new ValidationErrors();
        Customer? customer = null;
        if (input.CustomerId is not { } cid)
        {
            errors.Add(SowField.Customer, SowRequestTemplateService.Message(template, SowField.Customer));
        }
        else
        {
            customer = await db.Customers.AsNoTracking().Include(c => c.Tier).VisibleTo(actor).FirstOrDefaultAsync(c => c.Id == cid, ct);
            if (customer is null) errors.Add(SowField.Customer, "No such customer.");
        }
        var ids = (input.OfferingIds ?? []).Distinct().ToList();
        List<Offering>? offerings = null;
        if (ids.Count == 0)
        {
            errors.Add(SowField.Offerings, SowRequestTemplateService.Message(template, SowField.Offerings));
        }
        else
        {
            offerings = await db.Offerings.AsNoTracking().Where(o => ids.Contains(o.Id) && o.IsActive).ToListAsync(ct);
            var missing = ids.Except(offerings.Select(o => o.Id)).ToList();
            if (missing.Count > 0)
            {
                errors.Add(SowField.Offerings, $"Not an active offering in the catalog: {string.Join(", ", missing)}.");
                offerings = null;
            }
            else
            {
                offerings = offerings.OrderBy(o => o.SortOrder).ThenBy(o => o.Name, StringComparer.Ordinal).ToList();
            }
        }

        var facts = offerings is null || customer is null
            ? null
            : new EligibilityFacts(customer.Name, customer.TierId, customer.Tier?.Name ?? customer.TierId, customer.Tier?.IsPaying ?? false,
                customer.UpgradingFromCe, offerings.Select(o => new OfferingFact(o.Id, o.Slug, o.Name, o.Category)).ToList(),
                !string.IsNullOrWhiteSpace(input.UseCase), false, false);
        var trainingOnly = facts?.TrainingOnly ?? (offerings is not null && offerings.Count > 0
            && offerings.All(o => EligibilityFacts.IsTrainingLike(o.Category)));

        var env = input.Environment;
        var envDescribed = !string.IsNullOrWhiteSpace(env?.Notes);
        var contacts = CleanContacts(input.Contacts);
        foreach (var field in template.Fields)
        {
            var required = field.Required == FieldRequirement.Always || (field.Required == FieldRequirement.TrainingOnly && trainingOnly);
            var present = field.Key switch
            {
                SowField.Customer or SowField.Offerings => true, // checked above
                SowField.Goals => !string.IsNullOrWhiteSpace(input.Goals),
                SowField.EnvironmentVcs => envDescribed || !string.IsNullOrWhiteSpace(env?.Vcs),
                SowField.EnvironmentCi => envDescribed || !string.IsNullOrWhiteSpace(env?.Ci),
                SowField.EnvironmentAuthentication => envDescribed || !string.IsNullOrWhiteSpace(env?.Authentication),
                SowField.EnvironmentUsers => envDescribed || !string.IsNullOrWhiteSpace(env?.Users),
                SowField.Timeline => !string.IsNullOrWhiteSpace(input.Timeline),
                SowField.Contacts => contacts.Count > 0,
                SowField.UseCase => !string.IsNullOrWhiteSpace(input.UseCase),
                _ => true,
            };
            if (required && !present)
            {
                errors.Add(field.Key, SowRequestTemplateService.Message(template, field.Key));
                if (field.Key.StartsWith("environment.", StringComparison.Ordinal) && env is null)
                {
                    errors.Add("environment", "Describe the current environment: VCS and CI in use, authentication systems, number of users.");
                }
            }
        }
        foreach (var c in contacts)
        {
            if (c.Email is { } email && !MailAddress.TryCreate(email, out _))
            {
                errors.Add(SowField.Contacts, $"'{email}' is not an e-mail address.");
            }
        }
        CheckLength(errors, SowField.Goals, input.Goals, 8000);
        CheckLength(errors, SowField.Timeline, input.Timeline, 2000);
        CheckLength(errors, SowField.UseCase, input.UseCase, 8000);
        CheckLength(errors, SowField.EnvironmentVcs, env?.Vcs, 1000);
        CheckLength(errors, SowField.EnvironmentCi, env?.Ci, 1000);
        CheckLength(errors, SowField.EnvironmentAuthentication, env?.Authentication, 1000);
        CheckLength(errors, SowField.EnvironmentUsers, env?.Users, 200);
        CheckLength(errors, "environment", env?.Notes, 8000);
        CheckLength(errors, "title", input.Title, 300);
        errors.Require(contacts.Count <= 50, SowField.Contacts, "List at most 50 contacts.");

        var rules = facts is null ? [] : EligibilityPolicy.Evaluate(facts, EligibilityPoint.Request);
        var scoping = facts is null ? [] : EligibilityPolicy.RequiredScoping(facts);
        var labels = new List<string> { "type::sow" };
        if (offerings is not null) labels.AddRange(offerings.Select(o => $"offering::{o.Slug}"));
        if (customer is not null) labels.Add($"tier::{customer.TierId}");
        labels.Add($"stage::{EngagementStage.Requested}");
        var errorMap = errors.ToDictionary();
        var check = new SowRequestCheck(rules.Count == 0 && errorMap.Count == 0, rules, errorMap, scoping, labels, template.Version);
        return (check, customer, offerings, facts);
    }

    private static void CheckLength(ValidationErrors errors, string field, string? value, int max)
    {
        if (value is not null && value.Length > max) errors.Add(field, $"This is longer than {max} characters.");
    }

    internal static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    internal static List<SowContact> CleanContacts(IReadOnlyList<SowContact>? contacts) =>
        (contacts ?? []).Select(c => new SowContact(Clean(c.Name), Clean(c.Email), Clean(c.Role)))
            .Where(c => c.Name is not null || c.Email is not null).ToList();
}
