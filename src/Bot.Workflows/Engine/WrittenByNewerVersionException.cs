namespace Bot.Workflows.Engine;

/// <summary>
/// A stored aggregate was written by a newer version of the bot (a rolling deploy runs both for a while): its schema or its
/// state is one this version does not know. This version changes nothing and leaves the work for an instance that knows it
/// (a timer, an activity or an event is taken again later without counting an attempt; nothing is given up).
/// </summary>
public sealed class WrittenByNewerVersionException(string message) : Exception(message)
{
    /// <summary>How long an instance that met such an aggregate leaves the item before it looks again.</summary>
    public static readonly TimeSpan LeaveFor = TimeSpan.FromSeconds(30);
}
