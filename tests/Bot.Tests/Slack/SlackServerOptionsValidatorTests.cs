using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Integrations.Slack;
using Bot.Slack;

namespace Bot.Tests.Slack;

public class SlackServerOptionsValidatorTests
{
    private static readonly SlackServerOptionsValidator Validator = new();

    [Fact]
    public void Without_secrets_the_failure_names_both_variables_and_points_to_the_shell()
    {
        var result = Validator.Validate(null, new SlackOptions());

        Assert.True(result.Failed);
        Assert.Contains("Slack__SigningSecret and Slack__BotToken", result.FailureMessage);
        Assert.Contains("dotnet run --project src/Bot -- shell", result.FailureMessage);
    }

    [Fact]
    public void With_both_secrets_the_options_are_valid()
    {
        Assert.True(Validator.Validate(null, new SlackOptions { SigningSecret = "s", BotToken = "xoxb-1" }).Succeeded);
    }

    [Theory]
    [InlineData("slack.com/api")]
    [InlineData("ftp://slack.com/api/")]
    public void An_api_base_url_that_is_not_http_is_refused(string url)
    {
        var result = Validator.Validate(null, new SlackOptions { SigningSecret = "s", BotToken = "xoxb-1", ApiBaseUrl = url });
        Assert.Contains("Slack__ApiBaseUrl", result.FailureMessage);
    }

    [Fact]
    public void The_failure_never_contains_a_secret_value()
    {
        var result = Validator.Validate(null, new SlackOptions { SigningSecret = "very-secret", ApiBaseUrl = "nope" });
        Assert.DoesNotContain("very-secret", result.FailureMessage);
    }

    [Fact]
    public void A_read_only_commands_setting_that_is_not_understood_is_refused_with_the_accepted_forms()
    {
        var result = Validator.Validate(null, new SlackOptions { SigningSecret = "s", BotToken = "xoxb-1", ReadOnlyCommands = "everywhere" });

        Assert.Contains("Slack__ReadOnlyCommands", result.FailureMessage);
        Assert.Contains("ops-channel", result.FailureMessage);
    }

    [Fact]
    public void An_ops_channel_that_is_not_a_channel_id_is_refused()
    {
        var result = Validator.Validate(null, new SlackOptions { SigningSecret = "s", BotToken = "xoxb-1", OpsChannelId = "#securebase-ops" });

        Assert.Contains("Slack__OpsChannelId", result.FailureMessage);
    }
}
