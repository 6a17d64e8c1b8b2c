namespace Bot.Workflows.Changes;

/// <summary>A time (UTC) during which Standard and Major changes are refused (<c>Changes__Freeze__N__From/To/Reason</c>).</summary>
public sealed record FreezeWindow(DateTimeOffset From, DateTimeOffset To, string Reason)
{
    public bool Covers(DateTimeOffset at) => at >= From && at < To;

    public string Describe() => $"{Reason} (frozen {From.UtcDateTime:yyyy-MM-dd HH:mm} to {To.UtcDateTime:yyyy-MM-dd HH:mm} UTC)";
}

/// <summary>The configured freeze windows: checked when a change is requested and again just before it runs.</summary>
public sealed class FreezeCalendar(IReadOnlyList<FreezeWindow> windows)
{
    public static readonly FreezeCalendar None = new([]);

    public IReadOnlyList<FreezeWindow> Windows => windows;

    /// <summary>The freeze in force at <paramref name="at"/>, or null.</summary>
    public FreezeWindow? At(DateTimeOffset at) => windows.Where(w => w.Covers(at)).OrderByDescending(w => w.To).FirstOrDefault();
}
