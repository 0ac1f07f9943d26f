using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;

namespace ProServ.Web.Infrastructure;

/// Refuses, with 422 naming each field, a JSON body that puts null where its DTO declares a non-nullable reference:
/// an element of a list (labels[1]) or a property of a nested object (fields[0].key). System.Text.Json cannot do this
/// itself: RespectNullableAnnotations does not reach collection elements, and the services would otherwise dereference
/// the null and answer 500. Also refuses the NUL character in any text of the body, the route or the query, which
/// PostgreSQL cannot take even as a search term. Applied to every /api/v1 route group, so a new endpoint is covered
/// without doing anything.
internal static class RequestValueCheck
{
    private const int MaxDepth = 32;
    private static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    private sealed record Member(string Name, Func<object, object?> Get, NullabilityInfo Nullability);

    /// An endpoint filter factory: finds the handler's parameters that are request DTOs of ours (not services, not
    /// framework types) and checks their values after binding, before the handler runs.
    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var isService = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var parameters = context.MethodInfo.GetParameters();
        var bodies = parameters
            .Select((p, i) => (p, i))
            .Where(x => IsOurs(x.p.ParameterType) && x.p.GetCustomAttribute<FromServicesAttribute>() is null
                        && isService?.IsService(x.p.ParameterType) != true)
            .Select(x => x.i)
            .ToArray();
        var texts = parameters
            .Select((p, i) => (p, i))
            .Where(x => x.p.ParameterType == typeof(string) || x.p.ParameterType == typeof(string[]))
            .Select(x => (x.i, Name: x.p.Name ?? "value"))
            .ToArray();
        if (bodies.Length == 0 && texts.Length == 0)
        {
            return next;
        }
        return invocation =>
        {
            var errors = new ValidationErrors();
            foreach (var i in bodies)
            {
                if (i < invocation.Arguments.Count && invocation.Arguments[i] is { } body)
                {
                    Check(body, "", errors, 0);
                }
            }
            foreach (var (i, name) in texts)
            {
                if (i < invocation.Arguments.Count && invocation.Arguments[i] is { } text)
                {
                    CheckValue(text, null, name, errors, 0);
                }
            }
            errors.ThrowIfAny();
            return next(invocation);
        };
    }

    /// Adds an error for every null that the declared types of <paramref name="value"/> forbid, with its JSON path.
    public static void Check(object value, string path, ValidationErrors errors, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }
        foreach (var m in Members.GetOrAdd(value.GetType(), Describe))
        {
            object? v;
            try
            {
                v = m.Get(value);
            }
            catch (TargetInvocationException)
            {
                continue;
            }
            var at = path.Length == 0 ? m.Name : path + "." + m.Name;
            CheckValue(v, m.Nullability, at, errors, depth + 1);
        }
    }

    private static void CheckValue(object? v, NullabilityInfo? nullability, string at, ValidationErrors errors, int depth)
    {
        if (v is null)
        {
            if (nullability is { Type.IsValueType: false, ReadState: NullabilityState.NotNull })
            {
                errors.Add(at, "must not be null");
            }
            return;
        }
        if (v is string s)
        {
            CheckText(s, at, errors);
            return;
        }
        if (v is JsonElement element)
        {
            CheckJson(element, at, errors, depth);
            return;
        }
        if (v is IDictionary dictionary)
        {
            var valueInfo = ElementNullability(nullability, dictionary: true);
            foreach (DictionaryEntry e in dictionary)
            {
                CheckValue(e.Value, valueInfo, $"{at}[{e.Key}]", errors, depth + 1);
            }
            return;
        }
        if (v is IEnumerable list)
        {
            var elementInfo = ElementNullability(nullability, dictionary: false);
            var i = 0;
            foreach (var e in list)
            {
                CheckValue(e, elementInfo, $"{at}[{i++}]", errors, depth + 1);
            }
            return;
        }
        if (IsOurs(v.GetType()))
        {
            Check(v, at, errors, depth);
        }
    }

    private static void CheckText(string s, string at, ValidationErrors errors)
    {
        if (s.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(at, "must not contain the NUL character (U+0000)");
        }
    }

    /// Free-form parts of a body (JsonElement) may hold text anywhere.
    private static void CheckJson(JsonElement e, string at, ValidationErrors errors, int depth)
    {
        if (depth > MaxDepth) return;
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                CheckText(e.GetString() ?? "", at, errors);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var x in e.EnumerateArray()) CheckJson(x, $"{at}[{i++}]", errors, depth + 1);
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    CheckText(p.Name, at, errors);
                    CheckJson(p.Value, $"{at}.{p.Name}", errors, depth + 1);
                }
                break;
        }
    }

    /// The declared nullability of a collection's elements (string[], IReadOnlyList&lt;string&gt;, List&lt;T?&gt;) or of
    /// a dictionary's values; null (unknown shape) counts as nullable, so they are never refused by guesswork.
    private static NullabilityInfo? ElementNullability(NullabilityInfo? collection, bool dictionary)
    {
        if (collection is null)
        {
            return null;
        }
        if (collection.ElementType is { } element)
        {
            return element;
        }
        var args = collection.GenericTypeArguments;
        return dictionary switch
        {
            true when args.Length == 2 => args[1],
            false when args.Length == 1 => args[0],
            _ => null,
        };
    }

    private static bool IsOurs(Type t) =>
        (t.IsClass || (t.IsValueType && !t.IsPrimitive && !t.IsEnum && Nullable.GetUnderlyingType(t) is null))
        && t.Assembly.GetName().Name?.StartsWith("ProServ.", StringComparison.Ordinal) == true;

    private static Member[] Describe(Type type)
    {
        // NullabilityInfoContext is not thread-safe; one per type described, and the result is cached.
        var context = new NullabilityInfoContext();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => new Member(JsonName(p), p.GetValue, context.Create(p)))
            .ToArray();
    }

    private static string JsonName(PropertyInfo p) =>
        p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name);
}
