using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;
using ProServ.Core.Features.SowDocuments;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.SowDocuments;

public sealed record SowVersionLinks(string Docx, string Html, string Pdf, string Comparison);

public sealed record SowVersionResponse(Guid Id, int Number, string Kind, string FileName, long Size, string Sha256,
    int? TemplateNumber, string? Note, DateTimeOffset CreatedAt, string CreatedBy, int PendingChanges, SowVersionLinks Links)
{
    public static SowVersionResponse From(Guid engagementId, SowVersionDto v)
    {
        var b = $"/api/v1/engagements/{engagementId}/sow";
        return new(v.Id, v.Number, v.Kind, v.FileName, v.Size, v.Sha256, v.TemplateNumber, v.Note, v.CreatedAt, v.CreatedBy, v.PendingChanges,
            new SowVersionLinks($"{b}?format=docx&version={v.Number}", $"{b}?format=html&version={v.Number}",
                $"{b}?format=pdf&version={v.Number}", $"{b}/versions/{v.Number}/comparison"));
    }
}

public sealed record SowMarkupResponse(SowVersionResponse Version, IReadOnlyList<SowChangeDto> Changes);

public sealed record SowDecisionResponse(SowChangeDto Change, SowVersionResponse Version);

public sealed record SowDecisionRequest(string? Reason);

public sealed record SowVersionRequest(string? Note);

public sealed record SowMergeFieldDto(string Name, bool Required, string Description);

internal static class SowDocumentsEndpoints
{
    public static void MapSowDocuments(this IEndpointRouteBuilder app)
    {
        var g = app.MapApi("/engagements/{id:guid}/sow", "SOW documents");
        g.MapGet("/", Render).WithName("GetSowDocument")
            .WithSummary("The SOW as docx, html or pdf: a stored version with ?version=N, otherwise a draft generated from the engagement's current data.");
        g.MapGet("/versions", Versions).WithName("ListSowVersions");
        g.MapPost("/versions", CreateVersion).WithName("CreateSowVersion")
            .WithSummary("Generates the SOW from the current data and keeps it as the next version.")
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapGet("/versions/{number:int}/comparison", Compare).WithName("CompareSowVersion")
            .WithSummary("Paragraph-by-paragraph comparison of a version with the one before it.");
        g.MapPost("/markups", UploadMarkup).WithName("UploadSowMarkup")
            .WithSummary("Uploads a marked-up DOCX (multipart, part 'file'); answers its tracked insertions, deletions and comments.")
            .WithDescription("Send multipart/form-data with the .docx in a part named 'file'.").DisableAntiforgery()
            .AddOpenApiOperationTransformer((op, _, _) => Uploads.Describe(op, withNote: false));
        g.MapGet("/changes", Changes).WithName("ListSowChanges");
        g.MapPost("/changes/{changeId:guid}/accept", (Guid id, Guid changeId, SowDecisionRequest? body, ClaimsPrincipal user, SowDocumentService docs, CancellationToken ct) =>
                Decide(id, changeId, true, body, user, docs, ct))
            .WithName("AcceptSowChange").RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapPost("/changes/{changeId:guid}/reject", (Guid id, Guid changeId, SowDecisionRequest? body, ClaimsPrincipal user, SowDocumentService docs, CancellationToken ct) =>
                Decide(id, changeId, false, body, user, docs, ct))
            .WithName("RejectSowChange").RequireAuthorization(AuthorizationPolicies.ManageAccounts);

        var t = app.MapApi("/sow-templates", "SOW documents").RequireAuthorization(AuthorizationPolicies.Staff);
        t.MapGet("/", Templates).WithName("ListSowTemplates");
        t.MapGet("/fields", (Func<IReadOnlyList<SowMergeFieldDto>>)(() => SowMergeFields.All
            .Select(f => new SowMergeFieldDto(f, SowMergeFields.Required.Contains(f), SowMergeFields.Describe(f))).ToList()))
            .WithName("ListSowMergeFields");
        t.MapGet("/built-in/file", (ClaimsPrincipal user, SowTemplateService templates, CancellationToken ct) => TemplateFile(null, user, templates, ct))
            .WithName("GetBuiltInSowTemplate");
        t.MapGet("/{number:int}/file", (int number, ClaimsPrincipal user, SowTemplateService templates, CancellationToken ct) => TemplateFile(number, user, templates, ct))
            .WithName("GetSowTemplateFile");
        t.MapPost("/", UploadTemplate).WithName("UploadSowTemplate")
            .WithSummary("Uploads a new template version (multipart: 'file', optional 'note'); refused when a required merge field is missing.")
            .WithDescription("Send multipart/form-data with the .docx in a part named 'file' and an optional 'note'.").DisableAntiforgery()
            .AddOpenApiOperationTransformer((op, _, _) => Uploads.Describe(op, withNote: true))
            .RequireAuthorization(AuthorizationPolicies.Administrator);
    }

    private static async Task<FileContentHttpResult> Render(Guid id, string? format, int? version, HttpContext http, SowDocumentService docs, CancellationToken ct)
    {
        var file = await docs.RenderAsync(http.User.Actor(), id, format, version, ct);
        return AsFile(http, file);
    }

    internal static FileContentHttpResult AsFile(HttpContext http, SowFile file)
    {
        http.Response.Headers.CacheControl = "private, no-store";
        if (file.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            // The HTML is encoded text only; the policy is a second wall in case that ever changes.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";
            return TypedResults.File(file.Content, file.ContentType);
        }
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    private static async Task<Ok<IReadOnlyList<SowVersionResponse>>> Versions(Guid id, ClaimsPrincipal user, SowDocumentService docs, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<SowVersionResponse>>((await docs.ListVersionsAsync(user.Actor(), id, ct)).Select(v => SowVersionResponse.From(id, v)).ToList());

    private static async Task<Created<SowVersionResponse>> CreateVersion(Guid id, SowVersionRequest? body, ClaimsPrincipal user, SowDocumentService docs, CancellationToken ct)
    {
        var v = await docs.CreateVersionAsync(user.Actor(), id, body?.Note, ct);
        return TypedResults.Created($"/api/v1/engagements/{id}/sow?format=docx&version={v.Number}", SowVersionResponse.From(id, v));
    }

    private static async Task<Ok<SowComparison>> Compare(Guid id, int number, ClaimsPrincipal user, SowDocumentService docs, CancellationToken ct) =>
        TypedResults.Ok(await docs.CompareAsync(user.Actor(), id, number, ct));

    private static async Task<Created<SowMarkupResponse>> UploadMarkup(Guid id, HttpRequest request, SowDocumentService docs,
        IOptions<SowDocumentOptions> options, CancellationToken ct)
    {
        var upload = await Uploads.ReadAsync(request, options.Value, ct);
        var result = await docs.UploadMarkupAsync(request.HttpContext.User.Actor(), id, upload.FileName, upload.Content, ct);
        return TypedResults.Created($"/api/v1/engagements/{id}/sow/changes?version={result.Version.Number}",
            new SowMarkupResponse(SowVersionResponse.From(id, result.Version), result.Changes));
    }

    private static async Task<Ok<IReadOnlyList<SowChangeDto>>> Changes(Guid id, int? version, ClaimsPrincipal user, SowDocumentService docs, CancellationToken ct) =>
        TypedResults.Ok(await docs.ListChangesAsync(user.Actor(), id, version, ct));

    private static async Task<Ok<SowDecisionResponse>> Decide(Guid id, Guid changeId, bool accept, SowDecisionRequest? body, ClaimsPrincipal user,
        SowDocumentService docs, CancellationToken ct)
    {
        var r = await docs.DecideAsync(user.Actor(), id, changeId, accept, body?.Reason, ct);
        return TypedResults.Ok(new SowDecisionResponse(r.Change, SowVersionResponse.From(id, r.Version)));
    }

    private static async Task<Ok<IReadOnlyList<SowDocumentTemplateDto>>> Templates(ClaimsPrincipal user, SowTemplateService templates, CancellationToken ct) =>
        TypedResults.Ok(await templates.ListAsync(user.Actor(), ct));

    private static async Task<FileContentHttpResult> TemplateFile(int? number, ClaimsPrincipal user, SowTemplateService templates, CancellationToken ct)
    {
        var f = await templates.FileAsync(user.Actor(), number, ct);
        return TypedResults.File(f.Content, f.ContentType, f.FileName);
    }

    private static async Task<Created<SowDocumentTemplateDto>> UploadTemplate(HttpRequest request, SowTemplateService templates,
        IOptions<SowDocumentOptions> options, CancellationToken ct)
    {
        var upload = await Uploads.ReadAsync(request, options.Value, ct);
        var t = await templates.UploadAsync(request.HttpContext.User.Actor(), upload.FileName, upload.Content, upload.Note, ct);
        return TypedResults.Created($"/api/v1/sow-templates/{t.Number}/file", t);
    }
}

internal sealed record Upload(string? FileName, byte[] Content, string? Note);

/// Reads one uploaded file from a multipart form, refusing anything over the configured size before and while
/// reading it, so an oversized request is neither buffered nor stored.
internal static class Uploads
{
    private const long FormOverhead = 64 * 1024;

    public static async Task<Upload> ReadAsync(HttpRequest request, SowDocumentOptions limits, CancellationToken ct)
    {
        var max = limits.MaxUploadBytes + FormOverhead;
        if (request.ContentLength is { } length && length > max)
        {
            throw DocxSafety.TooLarge(limits);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = max;
        }
        if (!request.HasFormContentType)
        {
            throw new RuleViolationException("upload-multipart-required",
                "Send the document as multipart/form-data with the .docx in a part named 'file'.", StatusCodes.Status415UnsupportedMediaType);
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = max, ValueCountLimit = 20 }, ct);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw DocxSafety.TooLarge(limits);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw DocxSafety.TooLarge(limits);
        }
        catch (InvalidDataException)
        {
            throw FileError("The multipart form could not be read; send the document in a part named 'file'.");
        }
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault()
            ?? throw FileError("No file was sent; put the .docx in a part named 'file'.");
        if (file.Length > limits.MaxUploadBytes)
        {
            throw DocxSafety.TooLarge(limits);
        }
        var bytes = new byte[file.Length];
        await using (var s = file.OpenReadStream())
        {
            await s.ReadExactlyAsync(bytes, ct);
        }
        var note = form.TryGetValue("note", out var n) ? n.ToString() : null;
        return new Upload(file.FileName, bytes, string.IsNullOrWhiteSpace(note) ? null : note);
    }

    /// The handlers read the form themselves (to bound it), so the OpenAPI document is told what they expect.
    public static Task Describe(Microsoft.OpenApi.OpenApiOperation operation, bool withNote)
    {
        var properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["file"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary", Description = "The .docx" },
        };
        if (withNote)
        {
            properties["note"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String };
        }
        operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new Microsoft.OpenApi.OpenApiSchema
                    {
                        Type = Microsoft.OpenApi.JsonSchemaType.Object,
                        Properties = properties,
                        Required = new HashSet<string>(StringComparer.Ordinal) { "file" },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }

    private static ValidationFailedException FileError(string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["file"] = [message] });
}
