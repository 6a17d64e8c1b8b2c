using Bot.Testing;
using Bot.Tests;
using System.Text.RegularExpressions;
using Bot.Integrations.PagerDuty;
using Microsoft.Extensions.Configuration;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// PagerDuty Events API routing keys (<c>/sb page &lt;service&gt;</c>): the parameter <c>PagerDutyRoutingKeyServices</c>
/// names the services, and each one's key comes from the PagerDuty secret's JSON key <c>RoutingKeys__&lt;service&gt;</c>
/// as the variable the bot reads, <c>PagerDuty__RoutingKeys__&lt;service&gt;</c> (deploy/README.md, step 5).
/// </summary>
public sealed class RoutingKeysTests
{
    private static CloudFormationTemplate WithServices(string services) =>
        Deployed(more: new() { ["PagerDutyRoutingKeyServices"] = services });

    private static List<Dictionary<string, object>> RoutingKeySecrets(CloudFormationTemplate template) =>
        Maps(Container(template)["Secrets"]).Where(s => ((string)s["Name"]).StartsWith("PagerDuty__RoutingKeys__", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Each_service_named_gets_its_key_from_the_pagerduty_secret_as_the_setting_the_bot_reads()
    {
        var secrets = RoutingKeySecrets(WithServices("securebase-prod-lambda,securebase-prod-api"));

        Assert.Equal(
            ["PagerDuty__RoutingKeys__securebase-prod-lambda={PagerDutySecret}:RoutingKeys__securebase-prod-lambda::",
             "PagerDuty__RoutingKeys__securebase-prod-api={PagerDutySecret}:RoutingKeys__securebase-prod-api::"],
            secrets.Select(s => $"{s["Name"]}={s["ValueFrom"]}"));

        // The names bind to PagerDutyOptions.RoutingKeys as environment variables do ("__" is the section separator).
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(secrets.Select(s => KeyValuePair.Create(((string)s["Name"]).Replace("__", ":", StringComparison.Ordinal), (string?)"R0UTINGKEY")))
            .Build();
        var options = configuration.GetSection(PagerDutyOptions.Section).Get<PagerDutyOptions>()!;
        Assert.Equal(["securebase-prod-api", "securebase-prod-lambda"], options.RoutingKeys.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_routing_key_is_injected_by_default_or_without_pagerduty()
    {
        Assert.Empty(RoutingKeySecrets(Deployed()));
        Assert.Empty(RoutingKeySecrets(Deployed("socket-mode")));
        Assert.Empty(RoutingKeySecrets(new CloudFormationTemplate(TemplatePath, Parameters(pagerDuty: "false", more: new() { ["PagerDutyRoutingKeyServices"] = "securebase-prod-lambda" }))));
    }

    [Fact]
    public void Up_to_eight_services_each_get_their_key_and_a_ninth_is_refused_by_the_parameters_pattern()
    {
        var eight = string.Join(",", Enumerable.Range(1, 8).Select(i => $"securebase-svc-{i}"));
        var pattern = (string)Deployed().Parameter("PagerDutyRoutingKeyServices")["AllowedPattern"];

        Assert.Equal(8, RoutingKeySecrets(WithServices(eight)).Count);
        Assert.Matches(pattern, eight);
        Assert.Matches(pattern, "");
        Assert.DoesNotMatch(pattern, eight + ",securebase-svc-9");
        Assert.DoesNotMatch(pattern, "securebase prod");
        Assert.DoesNotMatch(pattern, "securebase-prod-lambda,");
    }

    [Fact]
    public void Naming_services_without_pagerduty_is_refused() =>
        Assert.StartsWith("PagerDutyRoutingKeyServices needs UsePagerDuty=true", Assert.Single(
            new CloudFormationTemplate(TemplatePath, Parameters(pagerDuty: "false", more: new() { ["PagerDutyRoutingKeyServices"] = "securebase-prod-lambda" })).RefusedBecause()));

    [Fact]
    public void The_secrets_first_values_never_change_so_a_stack_update_never_overwrites_what_was_put_in_them()
    {
        var template = Deployed();

        // CloudFormation writes SecretString again only when the template's value changes: these must stay as shipped.
        Assert.Equal("""{"signingSecret":"","botToken":"","appToken":""}""", template.Properties("SlackSecret")["SecretString"]);
        Assert.Equal("""{"apiToken":"","webhookSecret":""}""", template.Properties("PagerDutySecret")["SecretString"]);
    }
}
