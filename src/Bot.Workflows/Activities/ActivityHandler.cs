using System.Text.Json;

namespace Bot.Workflows.Activities;

/// <summary>Runs one kind of activity; see <see cref="ActivityHandler{TActivity}"/>.</summary>
public interface IActivityHandler
{
    string Kind { get; }
    Activity Read(string json);
    Task<LiveCheck> CheckAsync(Activity activity, CancellationToken cancellationToken);
    Task<ActivityResult> RunAsync(Activity activity, CancellationToken cancellationToken);
}

/// <summary>
/// Runs one kind of activity through a capability port (<c>ICloud</c>, <c>IPager</c>, …). Two steps, so a crash
/// anywhere is safe:
/// <list type="number">
/// <item><see cref="CheckAsync"/> looks at the live world first, every time: ready to go, already done (an earlier
/// attempt got through before the process died), or changed by someone else (then nothing is done).</item>
/// <item><see cref="RunAsync"/> does it, conditionally where the provider allows (e.g. on the alias's revision),
/// and throws <see cref="Ports.PortException"/> for failures: transient ones are retried with backoff, permanent
/// ones are reported to the aggregate at once.</item>
/// </list>
/// </summary>
public abstract class ActivityHandler<TActivity> : IActivityHandler where TActivity : Activity
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public virtual string Kind => typeof(TActivity).Name;

    protected abstract Task<LiveCheck> CheckAsync(TActivity activity, CancellationToken cancellationToken);

    protected abstract Task<ActivityResult> RunAsync(TActivity activity, CancellationToken cancellationToken);

    Activity IActivityHandler.Read(string json) =>
        JsonSerializer.Deserialize<TActivity>(json, Json) ?? throw new InvalidOperationException($"Activity {Kind} has no data.");

    Task<LiveCheck> IActivityHandler.CheckAsync(Activity activity, CancellationToken cancellationToken) => CheckAsync((TActivity)activity, cancellationToken);

    Task<ActivityResult> IActivityHandler.RunAsync(Activity activity, CancellationToken cancellationToken) => RunAsync((TActivity)activity, cancellationToken);
}

/// <summary>The activity handlers the runner knows, by kind.</summary>
public sealed class ActivityCatalog
{
    private readonly Dictionary<string, IActivityHandler> _handlers = new(StringComparer.Ordinal);

    public ActivityCatalog(IEnumerable<IActivityHandler> handlers)
    {
        foreach (var h in handlers)
        {
            if (!_handlers.TryAdd(h.Kind, h)) throw new InvalidOperationException($"Two activity handlers claim the kind '{h.Kind}'.");
        }
    }

    public bool TryGet(string kind, out IActivityHandler handler) => _handlers.TryGetValue(kind, out handler!);

    public IReadOnlyCollection<string> Kinds => _handlers.Keys;
}
