namespace Bot.Integrations;

/// <summary>
/// An outside system (AWS, PagerDuty, Slack) failed, refused or is not configured, in a way worth telling the person who
/// asked. <see cref="Exception.Message"/> says it in their words and is safe to show as it is (text that came from the
/// outside system is already escaped); it never carries a credential. The command and interaction routers show it to the
/// person instead of an error id; it is not a bug of the bot, so it is not logged as one.
/// </summary>
public class IntegrationException(string message, Exception? inner = null) : Exception(message, inner);
