using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Integrations.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace Bot.Slack.SocketMode;

/// <summary>
/// Slack Socket Mode: when <c>Slack__AppToken</c> is set, the bot keeps <see cref="SocketModeOptions.Connections"/>
/// WebSockets to Slack (each from <c>apps.connections.open</c>) instead of waiting for HTTP requests, and hands every
/// envelope to the same <see cref="SlackDispatcher"/> as the HTTP endpoints.
/// <list type="bullet">
/// <item>Each connection slot runs on its own: when Slack asks to <c>disconnect</c>, the slot opens the replacement
/// first and closes the old connection only once the new one said <c>hello</c>, so there is never a gap.</item>
/// <item>A connection that drops, or stops answering pings (half-open), is replaced; repeated failures back off
/// exponentially (with jitter) up to <see cref="SocketModeOptions.MaxBackoff"/>.</item>
/// <item>Slack delivers an envelope that was not acked again, possibly over the other connection: the durable
/// replay guard behind the dispatcher runs its work once.</item>
/// </list>
/// </summary>
public sealed class SocketModeClient(
    IServiceScopeFactory scopes,
    SocketModeEnvelopes envelopes,
    IOptionsMonitor<SlackOptions> slack,
    IOptions<SocketModeOptions> options,
    TimeProvider time,
    ILogger<SocketModeClient> logger) : BackgroundService
{
    private readonly SocketModeConnection?[] _slots = new SocketModeConnection?[Math.Max(1, options.Value.Connections)];
    private int _opened;
    /// <summary>The last moment a connection was known open (UTC ticks); the start until one opens.</summary>
    private long _lastOpenTicks = time.GetUtcNow().UtcTicks;

    /// <summary>A connection that lived this long before it dropped was healthy: its replacement is opened without backing off.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    /// <summary>True when an app token is configured (Socket Mode in use).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(slack.CurrentValue.AppToken);

    /// <summary>Connections open and greeted right now.</summary>
    public int OpenConnections => _slots.Count(c => c is { IsOpen: true });

    /// <summary>Connections wanted (<see cref="SocketModeOptions.Connections"/>).</summary>
    public int WantedConnections => _slots.Length;

    /// <summary>Connections opened since start (reconnections included).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    /// <summary>
    /// Since when no connection has been open (since the start when none ever opened), or null while one is open or
    /// Socket Mode is off: an instance in Socket Mode without a connection hears nothing from Slack.
    /// </summary>
    public DateTimeOffset? NoConnectionSince =>
        !Enabled || OpenConnections > 0 ? null : new DateTimeOffset(Volatile.Read(ref _lastOpenTicks), TimeSpan.Zero);

    private void SeenOpen() => Volatile.Write(ref _lastOpenTicks, time.GetUtcNow().UtcTicks);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return Task.CompletedTask;
        return Task.WhenAll(Enumerable.Range(0, _slots.Length).Select(slot => RunSlotAsync(slot, stoppingToken)));
    }

    /// <summary>Keeps one connection up until the host stops.</summary>
    private async Task RunSlotAsync(int slot, CancellationToken stoppingToken)
    {
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                SocketModeConnection next;
                try
                {
                    next = await OpenAsync(slot, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    var wait = options.Value.Backoff(failures);
                    logger.LogWarning("Socket Mode connection {Slot} could not be opened (failure {Failures}): {Error}; trying again in {Wait}",
                        slot, failures, e.Message, wait);
                    await Task.Delay(wait, time, stoppingToken);
                    continue;
                }

                // The old connection (asked to refresh) served until now; the new one is up, so it can go.
                if (_slots[slot] is { } old) await old.CloseAsync("replaced");
                _slots[slot] = next;
                var openedAt = time.GetUtcNow();
                SeenOpen();

                var end = await next.Ended.WaitAsync(stoppingToken);
                // It was open until now.
                SeenOpen();
                if (end == SocketModeEnd.RefreshRequested)
                {
                    failures = 0;
                    continue;
                }

                _slots[slot] = null;
                await next.DisposeAsync();
                // A drop after a good while is reconnected at once; connections that keep dying soon back off.
                failures = time.GetUtcNow() - openedAt >= StableAfter ? 0 : failures + 1;
                if (failures > 0) await Task.Delay(options.Value.Backoff(failures), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_slots[slot] is { } last)
            {
                _slots[slot] = null;
                await last.CloseAsync("shutting down");
            }
        }
    }

    private async Task<SocketModeConnection> OpenAsync(int slot, CancellationToken cancellationToken)
    {
        Uri url;
        await using (var scope = scopes.CreateAsyncScope())
        {
            url = await scope.ServiceProvider.GetRequiredService<SlackWebApiClient>()
                .OpenSocketModeConnectionAsync(slack.CurrentValue.AppToken!, cancellationToken);
        }
        var number = Interlocked.Increment(ref _opened);
        var connection = await SocketModeConnection.OpenAsync(url, $"{slot}#{number}", options.Value, envelopes, logger, cancellationToken);
        logger.LogInformation("Socket Mode connection {Connection} open ({Open} of {Wanted} open)", connection.Name, OpenConnections + 1, WantedConnections);
        return connection;
    }
}
