namespace Bot.Commands.Routing;

/// <summary>
/// A failure whose message is safe and useful to show the user as it is (what went wrong, what to try).
/// The router turns it into an ephemeral reply; it is never logged as an error.
/// </summary>
public class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The arguments do not fit the command: the router answers with the usage line.</summary>
public sealed class UsageException(string message) : UserFacingException(message);
