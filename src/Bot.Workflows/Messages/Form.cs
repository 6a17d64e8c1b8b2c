namespace Bot.Workflows.Messages;

/// <summary>
/// A form to fill in (Slack shows it as a modal; a transport without forms says what to do instead). Each field's
/// answer comes back keyed <c>{field id}.{action id}</c>; <see cref="PrivateMetadata"/> comes back as it was sent.
/// </summary>
public sealed record Form
{
    /// <summary>Which handler takes the submitted form.</summary>
    public required string CallbackId { get; init; }
    public required string Title { get; init; }
    /// <summary>The label of the button that sends the form.</summary>
    public string? Submit { get; init; }
    /// <summary>The label of the button that closes it.</summary>
    public string? Close { get; init; }
    /// <summary>Data the form carries back to its handler unchanged (e.g. the button that opened it).</summary>
    public string? PrivateMetadata { get; init; }
    public IReadOnlyList<FormField> Fields { get; init; } = [];
}

/// <summary>One question of a form: its id, its label, and whether it may stay empty.</summary>
public abstract record FormField(string Id, string Label)
{
    /// <summary>The second half of the answer's key (<c>{Id}.{ActionId}</c>).</summary>
    public string ActionId { get; init; } = "value";
    public bool Optional { get; init; }
}

/// <summary>A text answer: one line, or several when <see cref="Multiline"/>; <see cref="Placeholder"/> shows an example.</summary>
public sealed record TextField(string Id, string Label) : FormField(Id, Label)
{
    public bool Multiline { get; init; }
    public string? Placeholder { get; init; }
}

/// <summary>One of a few values; the first is chosen at first.</summary>
public sealed record ChoiceField(string Id, string Label, IReadOnlyList<string> Choices) : FormField(Id, Label);
