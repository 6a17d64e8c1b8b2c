namespace Bot.Workflows.Activities;

/// <summary>
/// A side effect a workflow asks for (move a Lambda alias, acknowledge a PagerDuty incident). An aggregate
/// records it in a transition; it is saved in the same atomic write as the new state and run afterwards by the
/// <see cref="ActivityRunner"/> through an <see cref="ActivityHandler{TActivity}"/>, which reports the result back
/// to the aggregate as a trigger. Activities are plain records: they serialize as JSON.
/// </summary>
public abstract record Activity
{
    /// <summary>The name its handler is registered under (the record's type name by default).</summary>
    public virtual string Kind => GetType().Name;

    /// <summary>A sentence for timelines and the audit trail, e.g. "move alias PROD of fn from 7 to 8".</summary>
    public abstract string Describe();
}

/// <summary>
/// How an activity ended, as the aggregate reads it in <see cref="Engine.FireContext.Activity"/>:
/// <see cref="Succeeded"/>, or failed with a provider code (<c>PreconditionFailed</c>) and a sentence a person
/// understands. <see cref="DetailJson"/> carries what the handler found or did (e.g. the new revision).
/// </summary>
public sealed record ActivityOutcome(string ActivityId, string Kind, bool Succeeded, string? Code, string Message, string? DetailJson = null)
{
    /// <summary>True when the live world already showed the result (an earlier attempt got through before a crash): nothing was done again.</summary>
    public bool FoundDone { get; init; }

    public static ActivityOutcome Success(string id, string kind, string message, string? detailJson = null) => new(id, kind, true, null, message, detailJson);
    public static ActivityOutcome Failure(string id, string kind, string code, string message) => new(id, kind, false, code, message);
}

/// <summary>What a look at the live world says about an activity before it runs (again).</summary>
public abstract record LiveCheck
{
    private LiveCheck() { }

    /// <summary>The world is as the activity expects to find it: go ahead.</summary>
    public sealed record Ready : LiveCheck;

    /// <summary>The world already shows the activity's result (an earlier attempt got through): report success, do nothing.</summary>
    public sealed record AlreadyDone(string Message, string? DetailJson = null) : LiveCheck;

    /// <summary>The world is neither as expected nor done (someone else changed it): report failure, do nothing.</summary>
    public sealed record Diverged(string Code, string Message) : LiveCheck;

    public static readonly LiveCheck Go = new Ready();
    public static LiveCheck Done(string message, string? detailJson = null) => new AlreadyDone(message, detailJson);
    public static LiveCheck Differs(string code, string message) => new Diverged(code, message);
}

/// <summary>The result of running an activity: what was done, and optionally details as JSON.</summary>
public sealed record ActivityResult(string Message, string? DetailJson = null)
{
    /// <summary>The run found the result already there (e.g. a conditional write refused because an earlier attempt got through): nothing was done again.</summary>
    public bool FoundDone { get; init; }
}
