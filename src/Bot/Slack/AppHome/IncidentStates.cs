namespace Bot.Slack.AppHome;

/// <summary>
/// How the App Home, <c>/sb status</c> and the <c>sb.incidents.open</c> gauge recognise incidents in the store before
/// (and after) the Incident workflow exists: aggregates of type <see cref="Type"/>, open unless in a closed state.
/// </summary>
public static class IncidentStates
{
    public const string Type = "incident";

    /// <summary>States in which an incident is over (any other, e.g. Triggered or Acknowledged, is open).</summary>
    public static readonly IReadOnlySet<string> Closed = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Resolved", "Closed", "Cancelled" };

    public static bool IsOpen(string state) => !Closed.Contains(state);
}
