using System.Net;
using System.Text;

namespace ProServ.Cli.Tests.Commands.Api;

/// <summary>Answers every request with a fixed response and remembers what was sent.</summary>
internal sealed class RecordingHttpHandler(HttpStatusCode status, string body = "", string? mediaType = "application/json") : HttpMessageHandler
{
    public List<SentRequest> Sent { get; } = [];

    /// <summary>Tests: thrown instead of answering (a server that cannot be reached).</summary>
    public Exception? Failure { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sent.Add(new SentRequest(
            request.Method.Method,
            request.RequestUri!.ToString(),
            request.Headers.Authorization?.ToString(),
            string.Join(", ", request.Headers.Accept),
            request.Content?.Headers.ContentType?.ToString(),
            request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken)));
        if (Failure is not null)
        {
            throw Failure;
        }
        var response = new HttpResponseMessage(status) { RequestMessage = request };
        if (mediaType is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }
        return response;
    }
}

internal sealed record SentRequest(string Method, string Uri, string? Authorization, string Accept, string? ContentType, string? Body);
