using Bot.Workflows.Messages;

namespace Bot.Integrations;

/// <summary>
/// An outside system (AWS, PagerDuty, Slack) failed, refused or is not configured, in a way worth telling the person who
/// asked. <see cref="Text"/> says it in their words and is safe to show as it is (text that came from the outside system
/// is in text spans, which each transport escapes); <see cref="Exception.Message"/> is its plain text. It never carries
/// a credential. The command and interaction routers show it to the person instead of an error id; it is not a bug of
/// the bot, so it is not logged as one.
/// </summary>
public class IntegrationException(Line text, Exception? inner = null) : Exception(text.ToPlainText(), inner)
{
    public Line Text { get; } = text;
}
