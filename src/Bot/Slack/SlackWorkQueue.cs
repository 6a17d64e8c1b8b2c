using System.Threading.Channels;

namespace Bot.Slack;

/// <summary>One piece of slow work a Slack endpoint acknowledged and left for later.</summary>
public sealed record SlackWork(string Description, Func<IServiceProvider, CancellationToken, Task> RunAsync);

/// <summary>
/// The hand-off between the endpoints (which must answer Slack within 3 s) and the workers (which
/// run the handlers): a bounded queue. When it is full the endpoint says so instead of waiting.
/// </summary>
public sealed class SlackWorkQueue
{
    public const int Capacity = 512;

    private readonly Channel<SlackWork> _channel = Channel.CreateBounded<SlackWork>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = false,
    });

    /// <summary>Queues <paramref name="work"/>; false when the queue is full or shutting down.</summary>
    public bool TryEnqueue(SlackWork work) => _channel.Writer.TryWrite(work);

    internal ChannelReader<SlackWork> Reader => _channel.Reader;

    /// <summary>No more work is accepted; what is queued still runs.</summary>
    internal void Complete() => _channel.Writer.TryComplete();

    public int Count => _channel.Reader.Count;
}
