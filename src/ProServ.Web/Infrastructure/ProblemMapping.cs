using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;

namespace ProServ.Web.Infrastructure;

/// Turns the domain's refusals into RFC 9457 problem details, in one place for every endpoint.
internal sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = ToProblem(exception);
        if (problem is null)
        {
            return false;
        }
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled error");
        }
        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

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
                return new ProblemDetails { Status = b.StatusCode, Title = "Bad request", Detail = "The request body or parameters could not be read; check the JSON and the field types." };
            default:
                return null;
        }
    }
}
