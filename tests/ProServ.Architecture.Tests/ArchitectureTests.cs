using System.Reflection;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchArchitecture = ArchUnitNET.Domain.Architecture;

namespace ProServ.Architecture.Tests;

/// The walls the compiler cannot keep: which of our namespaces and assemblies may depend on which. Each rule reads
/// the built assemblies, so a violation fails here whatever file it sits in.
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = Assembly.Load("ProServ.Core");
    private static readonly Assembly Migration = Assembly.Load("ProServ.Migration");
    private static readonly Assembly Web = Assembly.Load("ProServ.Web");
    private static readonly Assembly Cli = Assembly.Load("proserv");

    private static readonly ArchArchitecture Loaded =
        new ArchLoader().LoadAssemblies(Core, Migration, Web, Cli).Build();

    private const string FeaturePrefix = "ProServ.Core.Features.";

    [Fact]
    public void CoreFeatures_HaveNoDependencyCycles()
    {
        // ArchUnitNET's slice rule decides; our own graph explains the failure with the cycle's path.
        var rule = SliceRuleDefinition.Slices().Matching("ProServ.Core.Features.(*)").Should().BeFreeOfCycles();
        var cycles = FeatureCycles(FeatureGraph(Loaded));
        Assert.True(rule.HasNoViolations(Loaded) && cycles.Count == 0,
            "Feature namespaces of Core depend on each other in a cycle; move the shared piece into one of them " +
            "(or Common) or invert it with an interface:\n" + string.Join("\n", cycles));
    }

    /// Core is used by the web host and could be used by a worker: it holds no HTTP. Two ASP.NET Core libraries are
    /// allowed because they are storage, not hosting: Identity's EF stores (the users and roles tables) and
    /// Data Protection's EF key store. Both pull in the Microsoft.AspNetCore.Identity and .DataProtection namespaces,
    /// and nothing of the request pipeline (Http, Mvc, Routing, Builder, Hosting, Authentication, Authorization…).
    private static readonly string[] AllowedAspNetAssemblies =
    [
        "Microsoft.AspNetCore.Identity.EntityFrameworkCore",
        "Microsoft.AspNetCore.DataProtection.EntityFrameworkCore",
        "Microsoft.AspNetCore.DataProtection",
        "Microsoft.AspNetCore.DataProtection.Abstractions",
        "Microsoft.AspNetCore.Cryptography.Internal",
    ];

    private static readonly string[] AllowedAspNetNamespaces =
        ["Microsoft.AspNetCore.Identity", "Microsoft.AspNetCore.DataProtection"];

    [Fact]
    public void Core_DoesNotReferenceAspNetCoreHosting()
    {
        var assemblies = Core.GetReferencedAssemblies().Select(a => a.Name ?? "")
            .Where(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && !AllowedAspNetAssemblies.Contains(n))
            .ToList();
        var types = Dependencies(Loaded, "ProServ.Core")
            .Where(d => d.Target.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                && !AllowedAspNetNamespaces.Any(ns => d.TargetNamespace == ns || d.TargetNamespace.StartsWith(ns + ".", StringComparison.Ordinal)))
            .Select(d => $"{d.Source} → {d.Target}").Distinct(StringComparer.Ordinal).ToList();
        Assert.True(assemblies.Count == 0 && types.Count == 0,
            "ProServ.Core reaches into ASP.NET Core hosting:\n" + string.Join("\n", assemblies.Concat(types)));
    }

    /// The engine is a library anyone could ship on its own: nothing of ours, no EF, no ASP.NET Core.
    private static readonly string[] ForbiddenForMigration = ["ProServ.", "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore"];

    [Fact]
    public void Migration_ReferencesNothingOfOursNorEfNorAspNet()
    {
        var assemblies = Migration.GetReferencedAssemblies().Select(a => a.Name ?? "")
            .Where(n => ForbiddenForMigration.Any(f => n.StartsWith(f, StringComparison.Ordinal))).ToList();
        var types = Dependencies(Loaded, "ProServ.Migration")
            .Where(d => ForbiddenForMigration.Any(f => d.Target.StartsWith(f, StringComparison.Ordinal))
                && !d.Target.StartsWith("ProServ.Migration.", StringComparison.Ordinal))
            .Select(d => $"{d.Source} → {d.Target}").Distinct(StringComparer.Ordinal).ToList();
        Assert.True(assemblies.Count == 0 && types.Count == 0,
            "ProServ.Migration must stand alone:\n" + string.Join("\n", assemblies.Concat(types)));
    }

    [Fact]
    public void CycleFinder_FindsACycle()
    {
        // The rule above is only as good as this search; a graph with a known cycle proves it can fail.
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };
        Assert.Equal(["A → B → C → A"], FeatureCycles(graph));
    }

    private sealed record Dependency(string Source, string Target, string TargetNamespace);

    private static IEnumerable<Dependency> Dependencies(ArchArchitecture architecture, string ns) =>
        architecture.Types
            .Where(t => t.Namespace?.FullName == ns || (t.Namespace?.FullName ?? "").StartsWith(ns + ".", StringComparison.Ordinal))
            .SelectMany(t => t.Dependencies.Select(d => new Dependency(t.FullName, d.Target.FullName, d.Target.Namespace?.FullName ?? "")));

    /// Feature → the features its types use (the first namespace segment after ProServ.Core.Features).
    private static Dictionary<string, HashSet<string>> FeatureGraph(ArchArchitecture architecture)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var d in Dependencies(architecture, "ProServ.Core.Features"))
        {
            var from = Feature(d.Source);
            var to = Feature(d.TargetNamespace + ".");
            if (from is null || to is null || from == to) continue;
            if (!graph.TryGetValue(from, out var targets)) graph[from] = targets = new(StringComparer.Ordinal);
            targets.Add(to);
        }
        return graph;
    }

    private static string? Feature(string name)
    {
        if (!name.StartsWith(FeaturePrefix, StringComparison.Ordinal)) return null;
        var rest = name[FeaturePrefix.Length..];
        var end = rest.IndexOfAny(['.', '+', '`', '<']);
        return end < 0 ? rest : rest[..end];
    }

    /// One path per cycle found by depth-first search, each written from its alphabetically first node.
    internal static List<string> FeatureCycles(Dictionary<string, HashSet<string>> graph)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            var path = new List<string> { start };
            Walk(start);

            void Walk(string node)
            {
                foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
                {
                    if (next == start)
                    {
                        if (path.All(p => string.CompareOrdinal(start, p) <= 0)) found.Add(string.Join(" → ", path.Append(start)));
                    }
                    else if (!path.Contains(next) && string.CompareOrdinal(start, next) < 0)
                    {
                        path.Add(next);
                        Walk(next);
                        path.RemoveAt(path.Count - 1);
                    }
                }
            }
        }
        return [.. found];
    }
}
