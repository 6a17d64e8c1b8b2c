using Bot.Workflows.Incidents;
using System.Collections.Concurrent;
using Bot.Slack.AppHome;
using Bot.Workflows.Changes;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Slack.AppHome;

/// <summary>Who looked at their App Home tab lately (on this instance), so it can be refreshed when the workflows change.</summary>
public sealed class AppHomeViewers(TimeProvider time)
{
    /// <summary>A tab not opened for this long is no longer kept fresh (it is rebuilt when opened again).</summary>
    public static readonly TimeSpan KeepFreshFor = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _opened = new(StringComparer.Ordinal);

    public void Opened(string userId) => _opened[userId] = time.GetUtcNow();

    public IReadOnlyList<string> Current()
    {
        var since = time.GetUtcNow() - KeepFreshFor;
        foreach (var (user, at) in _opened)
            if (at < since) _opened.TryRemove(user, out _);
        return _opened.Keys.ToList();
    }
}

/// <summary>Bound from <c>Slack:AppHome</c>.</summary>
public sealed class AppHomeOptions
{
    public const string Section = "Slack:AppHome";

    /// <summary>How often the store is asked whether a change or an incident moved (every instance shares it, so moves made elsewhere count).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Keeps the App Home tabs people opened up to date: every <see cref="AppHomeOptions.RefreshInterval"/>, while someone has
/// one open, it asks the store whether any change or incident moved since the last look, and if so publishes every open
/// tab again.
/// </summary>
public sealed class AppHomeRefresher(IAggregateStore store, AppHomeViewers viewers, IServiceScopeFactory scopes, IOptions<AppHomeOptions> options,
    TimeProvider time, ILogger<AppHomeRefresher> logger) : BackgroundService
{
    private static readonly string[] Watched = [Change.Type, Incident.Type];

    /// <summary>
    /// How far each look reaches back before the previous one: a move is stamped when it is made and seen once committed,
    /// so one stamped just before a look but committed just after it (or stamped by another instance whose clock is a
    /// little behind) would otherwise fall between two looks and never refresh the tabs.
    /// </summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.RefreshInterval, time, stoppingToken);
                var now = time.GetUtcNow();
                // Nobody has the tab open: nothing to keep fresh, so nothing to ask the store.
                if (viewers.Current().Count > 0 && await AnyMovedSinceAsync(since, stoppingToken)) await RefreshAllAsync(stoppingToken);
                since = now - Overlap;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("App Home refresh failed: {Error}", e.Message);
            }
        }
    }

    private async Task<bool> AnyMovedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        foreach (var type in Watched)
            if ((await store.ListAggregatesAsync(type, since, 1, cancellationToken)).Count > 0) return true;
        return false;
    }

    private async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        foreach (var user in viewers.Current())
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AppHomeService>().PublishAsync(user, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("App Home of {User} could not be refreshed: {Error}", user, e.GetType().Name);
            }
        }
    }
}
