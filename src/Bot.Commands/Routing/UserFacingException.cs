using Bot.Workflows.Messages;

namespace Bot.Commands.Routing;

/// <summary>
/// A failure whose message is safe and useful to show the user as it is (what went wrong, what to try).
/// The router turns it into an ephemeral reply; it is never logged as an error. <see cref="Text"/> is what the person
/// reads (words from outside go in as text spans: each transport escapes them); <see cref="Exception.Message"/> is its
/// plain text.
/// </summary>
public class UserFacingException(Line text, Exception? inner = null) : Exception(text.ToPlainText(), inner)
{
    public Line Text { get; } = text;
}

/// <summary>The arguments do not fit the command: the router answers with the usage line.</summary>
public sealed class UsageException(Line text) : UserFacingException(text);
