using System.Text.Json.Nodes;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// Ways DynamoDB fails, played by the <see cref="SandboxProxy"/> in front of DynamoDB Local: throttling every request,
/// refusing connections (the store unreachable), losing the answer of a write it applied, and cancelling a transaction
/// on a failed condition as if another instance had written first. Windows last until disposed; one-shot faults fire
/// on the next matching request. Each counts how often it struck, so a test can show it was met.
/// </summary>
public sealed class StoreFaults
{
    private int _throttled;
    private int _dropped;
    private int _lostAnswers;
    private int _conditionsFailed;
    private volatile bool _throttling;
    private volatile bool _unreachable;
    private int _answersToLose;
    private int _entriesToFail;
    private int _versionsToFail;

    public int Throttled => Volatile.Read(ref _throttled);
    public int Dropped => Volatile.Read(ref _dropped);
    public int LostAnswers => Volatile.Read(ref _lostAnswers);
    public int ConditionsFailed => Volatile.Read(ref _conditionsFailed);

    /// <summary>Installs the faults' hooks on the proxy (nothing fails until a fault is switched on).</summary>
    public static StoreFaults On(SandboxProxy proxy)
    {
        var faults = new StoreFaults();
        proxy.Before = _ => Task.FromResult(!(faults._unreachable && Count(ref faults._dropped)));
        proxy.Answer = faults.Answer;
        proxy.After = c => Task.FromResult(!(c.Operation == "TransactWriteItems" && c.Status == 200 && Take(ref faults._answersToLose) && Count(ref faults._lostAnswers)));
        return faults;
    }

    /// <summary>Every request is answered 400 ProvisionedThroughputExceededException until disposed.</summary>
    public IDisposable Throttling()
    {
        _throttling = true;
        return new Window(() => _throttling = false);
    }

    /// <summary>Every connection is cut before DynamoDB sees the request, until disposed.</summary>
    public IDisposable Unreachable()
    {
        _unreachable = true;
        return new Window(() => _unreachable = false);
    }

    /// <summary>The next transaction DynamoDB applies loses its answer (the SDK sends it again with the same token).</summary>
    public void LoseNextCommitAnswer() => Interlocked.Increment(ref _answersToLose);

    /// <summary>
    /// The next transaction is cancelled, not applied: its audit entry's condition failed (another instance took that
    /// sequence number); and the next one that updates an aggregate, its version condition (another instance moved it on).
    /// </summary>
    public void FailNextConditions()
    {
        Interlocked.Increment(ref _entriesToFail);
        Interlocked.Increment(ref _versionsToFail);
    }

    private ProxyAnswer? Answer(ProxiedCall call)
    {
        if (_throttling && Count(ref _throttled))
            return ProxyAnswer.AwsJsonError(400, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded.");
        if (call.Operation != "TransactWriteItems") return null;
        var items = JsonNode.Parse(call.Body)?["TransactItems"]?.AsArray();
        if (items is null) return null;
        // Item 0 is always the audit entry; item 1, when it updates an aggregate, carries the version condition.
        var failed = Volatile.Read(ref _entriesToFail) > 0 && Take(ref _entriesToFail) ? 0
            : items.Count > 1 && items[1]?["Put"]?["ConditionExpression"]?.GetValue<string>() == "#version = :expected" && Take(ref _versionsToFail) ? 1
            : -1;
        if (failed < 0) return null;
        Count(ref _conditionsFailed);
        var reasons = new JsonArray(items.Select((_, i) => (JsonNode)(i == failed
            ? new JsonObject { ["Code"] = "ConditionalCheckFailed", ["Message"] = "The conditional request failed" }
            : new JsonObject { ["Code"] = "None" })).ToArray());
        var body = new JsonObject
        {
            ["__type"] = "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            ["Message"] = "Transaction cancelled, please refer cancellation reasons for specific reasons",
            ["CancellationReasons"] = reasons,
        };
        return new ProxyAnswer(400, body.ToJsonString(), "application/x-amz-json-1.0");
    }

    /// <summary>Takes one from <paramref name="budget"/> when any is left.</summary>
    private static bool Take(ref int budget)
    {
        while (true)
        {
            var left = Volatile.Read(ref budget);
            if (left <= 0) return false;
            if (Interlocked.CompareExchange(ref budget, left - 1, left) == left) return true;
        }
    }

    /// <summary>Counts a strike; always true (so it reads as a condition).</summary>
    private static bool Count(ref int counter)
    {
        Interlocked.Increment(ref counter);
        return true;
    }

    private sealed class Window(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}
