using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.IntegrationTests.Slack;
using Bot.Sandbox.Account;
using Bot.Sandbox.PagerDuty;
using Bot.Testing.PagerDuty;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.PagerDuty;

/// <summary>
/// The whole bot against its in-process sandbox: the sandbox pages, delivers a signed webhook over HTTP to
/// the bot's endpoint (on a loopback listener, since the test server has no port), the event reaches the
/// sink, and the bot's own client acts on the incident in the sandbox, whose webhook comes back.
/// </summary>
public sealed class SandboxPagerDutyFlowTests : IDisposable
{
    private readonly RecordingEventSink _sink = new();

    public void Dispose() => _sink.Dispose();

    [Fact]
    public async Task A_paged_incident_reaches_the_sink_and_the_bots_acknowledgement_comes_back_as_a_webhook()
    {
        await using var bot = await SlackBot.StartAsync(settings => settings["Sandbox:Enabled"] = "true", s => s.AddSingleton<IPagerDutyEventSink>(_sink));
        _ = bot.Client; // starts the host
        var account = bot.Factory.Services.GetRequiredService<SandboxAccount>();
        await WaitUntil(() => account.PagerDuty.Webhooks.Enabled);

        var paged = PagerDutyScenarios.Page(account, PagerDutyScenarios.LambdaErrors);
        var triggered = Assert.Single(await _sink.WaitForAsync(1));

        var client = bot.Factory.Services.GetRequiredService<PagerDutyClient>();
        var incident = await client.GetIncidentAsync(paged.Incident.Id, CancellationToken.None);
        var ack = await client.AcknowledgeAsync(paged.Incident.Id, "alice@securebase.example", CancellationToken.None);
        var events = await _sink.WaitForAsync(2);

        Assert.Equal(PagerDutyEventKind.Triggered, triggered.Kind);
        Assert.Equal(paged.Incident.Id, triggered.IncidentId);
        Assert.Equal(paged.Incident.Title, incident.Title);
        Assert.True(client.IsConfigured);
        Assert.Equal(PagerDutyDirectory.Bot.Email, client.BotEmail);
        Assert.Equal(PagerDutyDirectory.PolicyId, client.EscalationPolicyId);
        Assert.Equal(IncidentStatus.Acknowledged, ack.Incident.KnownStatus);
        Assert.Equal(PagerDutyEventKind.Acknowledged, events[1].Kind);
        Assert.Equal(PagerDutyDirectory.Alice.Id, events[1].Agent?.Id);
    }

    [Fact]
    public async Task The_bots_events_client_pages_the_sandbox_by_service_name()
    {
        await using var bot = await SlackBot.StartAsync(settings => settings["Sandbox:Enabled"] = "true", s => s.AddSingleton<IPagerDutyEventSink>(_sink));
        _ = bot.Client;
        var account = bot.Factory.Services.GetRequiredService<SandboxAccount>();
        await WaitUntil(() => account.PagerDuty.Webhooks.Enabled);
        var events = bot.Factory.Services.GetRequiredService<PagerDutyEventsClient>();

        await events.TriggerAsync(events.RoutingKeyFor("securebase-prod-api"), "api-5xx/manual", new Bot.Integrations.PagerDuty.Events.AlertPayload
        {
            Summary = "API 5xx above 5%", Source = "securebase-prod-api", Severity = "error",
        }, CancellationToken.None);

        var triggered = Assert.Single(await _sink.WaitForAsync(1));
        Assert.Equal("API 5xx above 5%", triggered.Incident?.Title);
        Assert.Equal("securebase-prod-api", triggered.Incident?.Service?.Summary);
    }

    [Fact]
    public async Task With_the_sandbox_on_real_pagerduty_settings_are_set_aside()
    {
        await using var bot = await SlackBot.StartAsync(settings =>
        {
            settings["Sandbox:Enabled"] = "true";
            settings["PagerDuty:ApiToken"] = "real-production-token";
            settings["PagerDuty:WebhookSecret"] = "real-secret";
            settings["PagerDuty:FromEmail"] = "ops-bot@corp.example";
            settings["PagerDuty:EscalationPolicyId"] = "PREAL01";
            settings["PagerDuty:RoutingKeys:billing"] = "0123456789abcdef0123456789abcdef";
        }, s => s.AddSingleton<IPagerDutyEventSink>(_sink));
        _ = bot.Client;
        var account = bot.Factory.Services.GetRequiredService<SandboxAccount>();

        var options = bot.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PagerDutyOptions>>().Value;
        var incident = account.PagerDuty.Trigger(PagerDutyDirectory.Services[0], "Test", "critical", null);
        var read = await bot.Factory.Services.GetRequiredService<PagerDutyClient>().GetIncidentAsync(incident.Id, CancellationToken.None);

        Assert.Equal(account.PagerDuty.Options.ApiToken, options.ApiToken);
        Assert.Equal(PagerDutyDirectory.Bot.Email, options.FromEmail);
        Assert.Equal(PagerDutyDirectory.PolicyId, options.EscalationPolicyId);
        Assert.DoesNotContain("billing", options.RoutingKeys.Keys);
        Assert.Equal(incident.Id, read.Id);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition()) await Task.Delay(10, cts.Token);
    }
}
