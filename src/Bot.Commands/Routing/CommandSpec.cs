namespace Bot.Commands.Routing;

/// <summary>A <c>--flag</c> a command accepts. Flags without a value are switches.</summary>
public sealed record FlagSpec(string Name, string Description, bool TakesValue = true, string? ValueHint = null);

/// <summary>How a verb is called; <c>/sb help</c> is generated from these.</summary>
public sealed record CommandSpec
{
    public required string Verb { get; init; }
    public required string Summary { get; init; }
    /// <summary>The usage line, e.g. <c>/sb logs &lt;function&gt; [--since 1h]</c>.</summary>
    public required string Usage { get; init; }
    public IReadOnlyList<FlagSpec> Flags { get; init; } = [];
    public IReadOnlyList<string> Examples { get; init; } = [];
    /// <summary>Most positional arguments accepted; null for any number.</summary>
    public int? MaxPositionals { get; init; }
    /// <summary>
    /// True for a verb that changes something (a deploy, a rollback, configuration, an incident action). Over
    /// Slack it runs only in <c>Slack__OpsChannelId</c>, so the team sees every change, and nowhere when that is
    /// not set; read-only verbs (false, the default) run where <c>Slack__ReadOnlyCommands</c> allows.
    /// </summary>
    public bool ChangesState { get; init; }

    /// <summary>
    /// Roles of which the caller must hold one, checked at the moment of the request before the handler runs (empty:
    /// anyone). <see cref="RolesNeededTo"/> finishes the refusal's sentence "To … you need to be …".
    /// </summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>What the roles are needed for, in the refusal: e.g. "page PagerDuty".</summary>
    public string? RolesNeededTo { get; init; }
}
