using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Common;
using ProServ.Core.Features.Agreements;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Agreements;

public sealed record AgreementBody(string? SignedOn, string? Signer, int? RowVersion);

public sealed record PurchaseOrderBody(JsonElement? Number,
    [property: System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString)] decimal? Amount, string? Currency, string? ReceivedOn, int? RowVersion);

internal static class AgreementsEndpoints
{
    /// Where uploaded agreement and P.O. files go: Storage:DataDirectory, by default App_Data/files under the content
    /// root (never under wwwroot); Storage:MaxUploadMegabytes bounds each upload.
    public static IServiceCollection AddSowFileStorage(this IServiceCollection services, IConfiguration config, IHostEnvironment env) =>
        services.Configure<FileStorageOptions>(o =>
        {
            var dir = config["Storage:DataDirectory"];
            o.DataDirectory = string.IsNullOrWhiteSpace(dir) ? Path.Combine(env.ContentRootPath, "App_Data", "files")
                : Path.IsPathRooted(dir) ? dir : Path.Combine(env.ContentRootPath, dir);
            if (long.TryParse(config["Storage:MaxUploadMegabytes"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mb) && mb > 0)
            {
                o.MaxUploadBytes = mb * 1024 * 1024;
            }
        });

    public static void MapAgreements(this IEndpointRouteBuilder app)
    {
        var g = app.MapApi("/engagements", "Agreements");
        g.MapGet("/{id:guid}/contract", Contract).WithName("GetContract")
            .WithSummary("The signed agreement and the P.O. of the engagement, and whether dates may be committed.");
        g.MapPost("/{id:guid}/agreement", RecordAgreement).WithName("RecordAgreement")
            .WithSummary("Records the signed agreement: JSON {signedOn, signer}, or multipart with the same fields and the signed file in 'file'.")
            .Accepts<AgreementBody>("application/json", "multipart/form-data")
            .Produces<AgreementDto>(StatusCodes.Status201Created).Produces<AgreementDto>()
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapGet("/{id:guid}/agreement/file", AgreementFile).WithName("GetAgreementFile");
        g.MapPost("/{id:guid}/purchase-order", RecordPurchaseOrder).WithName("RecordPurchaseOrder")
            .WithSummary("Records the purchase order: JSON {number, amount, currency, receivedOn}, or multipart with the same fields and the P.O. file in 'file'.")
            .Accepts<PurchaseOrderBody>("application/json", "multipart/form-data")
            .Produces<PurchaseOrderDto>(StatusCodes.Status201Created).Produces<PurchaseOrderDto>()
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapGet("/{id:guid}/purchase-order/file", PurchaseOrderFile).WithName("GetPurchaseOrderFile");
    }

    private static async Task<Ok<ContractDto>> Contract(Guid id, ClaimsPrincipal user, AgreementService agreements, CancellationToken ct) =>
        TypedResults.Ok(await agreements.GetAsync(user.Actor(), id, ct));

    private static async Task<IResult> RecordAgreement(Guid id, HttpContext http, ClaimsPrincipal user, AgreementService agreements,
        FileStore files, CancellationToken ct)
    {
        var before = await agreements.GetAsync(user.Actor(), id, ct);
        var errors = new ValidationErrors();
        AgreementDto result;
        if (http.Request.HasFormContentType)
        {
            var (form, tooLarge) = await ReadFormAsync(http, files, ct);
            if (tooLarge is not null) return tooLarge;
            var input = new AgreementInput(JsonInput.Date(form!["signedOn"], "signedOn", errors), form["signer"], Int(form["rowVersion"]));
            errors.ThrowIfAny();
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            await using var stream = file?.OpenReadStream();
            result = await agreements.RecordAgreementAsync(user.Actor(), id, input,
                file is null ? null : new FileUpload(file.FileName, stream!), ct);
        }
        else
        {
            var body = await ReadJsonAsync<AgreementBody>(http, ct);
            var input = new AgreementInput(JsonInput.Date(body?.SignedOn, "signedOn", errors), body?.Signer, body?.RowVersion);
            errors.ThrowIfAny();
            result = await agreements.RecordAgreementAsync(user.Actor(), id, input, null, ct);
        }
        return before.Agreement is null ? TypedResults.Created($"/api/v1/engagements/{id}/contract", result) : TypedResults.Ok(result);
    }

    private static async Task<IResult> RecordPurchaseOrder(Guid id, HttpContext http, ClaimsPrincipal user, AgreementService agreements,
        FileStore files, CancellationToken ct)
    {
        var before = await agreements.GetAsync(user.Actor(), id, ct);
        var errors = new ValidationErrors();
        PurchaseOrderDto result;
        if (http.Request.HasFormContentType)
        {
            var (form, tooLarge) = await ReadFormAsync(http, files, ct);
            if (tooLarge is not null) return tooLarge;
            decimal? amount = null;
            var rawAmount = form!["amount"].ToString();
            if (rawAmount.Length > 0)
            {
                if (decimal.TryParse(rawAmount, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)) amount = a;
                else errors.Add("amount", "The amount is a number such as 12500.00.");
            }
            var input = new PurchaseOrderInput(form["number"], amount, form["currency"],
                JsonInput.Date(form["receivedOn"], "receivedOn", errors), Int(form["rowVersion"]));
            errors.ThrowIfAny();
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            await using var stream = file?.OpenReadStream();
            result = await agreements.RecordPurchaseOrderAsync(user.Actor(), id, input,
                file is null ? null : new FileUpload(file.FileName, stream!), ct);
        }
        else
        {
            var body = await ReadJsonAsync<PurchaseOrderBody>(http, ct);
            var input = new PurchaseOrderInput(JsonInput.Text(body?.Number), body?.Amount, body?.Currency,
                JsonInput.Date(body?.ReceivedOn, "receivedOn", errors), body?.RowVersion);
            errors.ThrowIfAny();
            result = await agreements.RecordPurchaseOrderAsync(user.Actor(), id, input, null, ct);
        }
        return before.PurchaseOrder is null ? TypedResults.Created($"/api/v1/engagements/{id}/contract", result) : TypedResults.Ok(result);
    }

    private static async Task<FileStreamHttpResult> AgreementFile(Guid id, ClaimsPrincipal user, AgreementService agreements, CancellationToken ct)
    {
        var d = await agreements.OpenAgreementFileAsync(user.Actor(), id, ct);
        return TypedResults.Stream(d.Content, d.ContentType, d.FileName);
    }

    private static async Task<FileStreamHttpResult> PurchaseOrderFile(Guid id, ClaimsPrincipal user, AgreementService agreements, CancellationToken ct)
    {
        var d = await agreements.OpenPurchaseOrderFileAsync(user.Actor(), id, ct);
        return TypedResults.Stream(d.Content, d.ContentType, d.FileName);
    }

    /// Reads a multipart form, bounded well above the file limit so the store can say precisely what is wrong;
    /// anything larger is refused with 413 before it is read.
    private static async Task<(IFormCollection? Form, IResult? TooLarge)> ReadFormAsync(HttpContext http, FileStore files, CancellationToken ct)
    {
        var limit = files.MaxBytes * 2 + 1024 * 1024;
        var tooLarge = TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large",
            detail: $"The upload is over the size limit; send {files.Describe()}.");
        if (http.Request.ContentLength > limit) return (null, tooLarge);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = limit }));
        try
        {
            return (await http.Request.ReadFormAsync(ct), null);
        }
        catch (InvalidDataException)
        {
            return (null, tooLarge);
        }
        catch (BadHttpRequestException b) when (b.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpContext http, CancellationToken ct)
    {
        try
        {
            return await http.Request.ReadFromJsonAsync<T>(ct);
        }
        catch (JsonException)
        {
            throw new BadHttpRequestException("The JSON body could not be read.");
        }
        catch (InvalidOperationException)
        {
            throw new BadHttpRequestException("Send JSON (application/json) or a multipart form.");
        }
    }

    private static int? Int(string? s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;
}
