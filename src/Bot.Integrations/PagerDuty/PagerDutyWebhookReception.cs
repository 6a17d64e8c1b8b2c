namespace Bot.Integrations.PagerDuty;

/// <summary>
/// Whether this process takes PagerDuty's V3 webhooks, as the host that serves them says (registered by the Slack
/// server's transport; the shell registers none: it takes no webhooks). It decides whether
/// <c>PagerDuty__WebhookSecret</c> is required (<see cref="PagerDutyOptions.Problems"/>).
/// </summary>
public sealed class PagerDutyWebhookReception(Func<bool> receivesWebhooks)
{
    public bool ReceivesWebhooks() => receivesWebhooks();
}
