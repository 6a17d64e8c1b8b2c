namespace Bot.Integrations.Slack;

/// <summary>
/// How a card's command button (<see cref="Bot.Workflows.Messages.CardButton.Command"/>) travels through Slack: action id
/// <c>wf-command-N</c> (ids must differ within a message) and the command, without <c>/sb</c>, as its value.
/// </summary>
public static class CommandButtons
{
    /// <summary>Action ids must differ within a message: one per command button of a card.</summary>
    public const int MaxPerMessage = 5;
    public const string ActionIdPrefix = "wf-command-";

    public static IReadOnlyCollection<string> ActionIds { get; } = Enumerable.Range(1, MaxPerMessage).Select(n => ActionIdPrefix + n).ToList();
}
