using Bot.Testing.Workflows;
using Bot.Testing;
using System.Collections.Concurrent;

namespace Bot.Testing.DynamoDb;

/// <summary>
/// The HTTP traffic between one SDK client and DynamoDB Local: records each request (operation and JSON body) and
/// lets a test act after a request has reached the server and before its response reaches the SDK, e.g. to lose the
/// response (the SDK then retries a write that already landed) or to hold it (the writer is paused mid-call).
/// </summary>
public sealed class DynamoDbWire
{
    /// <summary>Every request sent, in order: the operation (e.g. <c>TransactWriteItems</c>) and the body.</summary>
    public ConcurrentQueue<(string Operation, string Body)> Requests { get; } = new();

    /// <summary>Runs after the server answered an operation (its name and request body); throwing from it loses the response.</summary>
    public Func<string, string, Task>? AfterServerAnswered { get; set; }

    /// <summary>Set when the "process" died: every later request fails before it reaches the server.</summary>
    public bool Dead { get; set; }

    /// <summary>Whether the operation writes (what a commit is sent as).</summary>
    public static bool IsWrite(string operation) => operation is "PutItem" or "UpdateItem" or "DeleteItem" or "TransactWriteItems" or "BatchWriteItem";

    public HttpMessageHandler Wrap(HttpMessageHandler inner) => new Handler(this) { InnerHandler = inner };

    private sealed class Handler(DynamoDbWire wire) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "";
            var operation = target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..];
            if (wire.Dead) throw new ProcessDiedException();
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            wire.Requests.Enqueue((operation, body));
            var response = await base.SendAsync(request, cancellationToken);
            if (wire.AfterServerAnswered is { } after)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                await after(operation, body);
            }
            return response;
        }
    }
}

/// <summary>What a request of a client whose process died meets: it never leaves.</summary>
public sealed class ProcessDiedException() : Exception("the process died");
