using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;

namespace ProServ.Web.Infrastructure;

/// Turns the domain's refusals into RFC 9457 problem details, in one place for every endpoint, and is the last
/// resort for every other exception: a 500 problem that says nothing about the code (no message, no stack trace)
/// but carries the correlation id under which the exception was logged, so a report can be matched to the log.
internal sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads an answer and it is not an error of ours.
            http.Response.StatusCode = 499;
            return true;
        }
        var problem = ToProblem(exception) ?? Unexpected();
        if (problem.Status >= 500)
        {
            var correlationId = Activity.Current?.Id ?? http.TraceIdentifier;
            logger.LogError(exception, "Unhandled error {CorrelationId} on {Method} {Path}", correlationId, http.Request.Method, http.Request.Path);
            problem.Extensions["correlationId"] = correlationId;
            http.Response.Headers[CorrelationHeader] = correlationId;
        }
        http.Response.StatusCode = problem.Status ?? 500;
        // The exception is deliberately not passed on: problem writers may render it.
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    private static ProblemDetails Unexpected() => new()
    {
        Status = StatusCodes.Status500InternalServerError,
        Title = "An unexpected error occurred.",
        Detail = "The request could not be completed. The error was logged; quote the correlationId when you report it.",
        Type = "https://proserv.dev/problems/unexpected",
    };

    public static ProblemDetails? ToProblem(Exception exception)
    {
        switch (exception)
        {
            case ValidationFailedException v:
                return new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "The request has invalid fields.",
                    Detail = "Correct every field listed in errors and send the request again.",
                    Type = "https://proserv.dev/problems/validation",
                };
            case RuleViolationException r:
                var rp = new ProblemDetails
                {
                    Status = r.Status,
                    Title = $"Refused by rule {r.Rule}",
                    Detail = r.Message,
                    Type = $"https://proserv.dev/rules/{r.Rule}",
                };
                rp.Extensions["rule"] = r.Rule;
                // A refusal may name every rule that fired and every field that is missing (SOW requests, dry runs).
                if (r.Data["rules"] is { } rules) rp.Extensions["rules"] = rules;
                if (r.Data["errors"] is { } errors) rp.Extensions["errors"] = errors;
                return rp;
            case NotFoundException n:
                return new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = n.Message };
            case ForbiddenException f:
                return new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = f.Message };
            case ConflictException c:
                var cp = new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = c.Title, Detail = c.Message };
                if (c.Rule is not null)
                {
                    cp.Extensions["rule"] = c.Rule;
                    cp.Type = $"https://proserv.dev/rules/{c.Rule}";
                }
                return cp;
            case BadHttpRequestException b:
                return BadRequest(b);
            default:
                return null;
        }
    }

    /// A body that is not JSON or not of the declared types: 400, naming the JSON path when the reader knows it
    /// ("labels[1]", "lines[0].quantity"), never repeating the reader's message, which names .NET types.
    private static ProblemDetails BadRequest(BadHttpRequestException b)
    {
        const string Detail = "The request body or parameters could not be read; check the JSON and the field types.";
        if (b.InnerException is JsonException { Path: { Length: > 0 } path })
        {
            var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
            if (field.Length == 0) field = "body";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [field] = ["is not valid JSON of the expected type"],
            })
            { Status = b.StatusCode, Title = "Bad request", Detail = Detail, Type = "https://proserv.dev/problems/bad-request" };
        }
        return new ProblemDetails { Status = b.StatusCode, Title = "Bad request", Detail = Detail, Type = "https://proserv.dev/problems/bad-request" };
    }
}
