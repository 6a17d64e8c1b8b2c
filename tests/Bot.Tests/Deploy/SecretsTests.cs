using Bot.Testing;
using Bot.Tests;
using static Bot.Tests.Deploy.CloudFormationTemplate;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// What the tasks get from the two Secrets Manager secrets: only the settings their transport uses, because the bot
/// validates every PagerDuty setting that is present and an empty one would stop it (exit 2).
/// </summary>
public sealed class SecretsTests
{
    [Fact]
    public void In_socket_mode_the_pagerduty_webhook_secret_is_not_injected_at_all()
    {
        var template = Deployed("socket-mode");

        // No webhook reaches a Socket Mode bot: an empty PagerDuty__WebhookSecret would only fail its options.
        Assert.DoesNotContain("PagerDuty__WebhookSecret", SecretNames(template));
        Assert.DoesNotContain("PagerDuty__WebhookSecret", EnvironmentNames(template));
        Assert.Contains("PagerDuty__ApiToken", SecretNames(template));
    }

    [Fact]
    public void Over_http_the_pagerduty_webhook_secret_comes_from_the_pagerduty_secret()
    {
        var secret = Maps(Container(Deployed("http"))["Secrets"]).Single(s => (string)s["Name"] == "PagerDuty__WebhookSecret");

        Assert.Equal("{PagerDutySecret}:webhookSecret::", secret["ValueFrom"]);
    }
}
