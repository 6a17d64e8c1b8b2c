using Bot.Tests.Sandbox;
using Bot.Testing;
using Bot.Tests;
using System.Net;
using System.Text;
using Bot.Sandbox.PagerDuty;
using Bot.Testing.Slack;

namespace Bot.Tests.Sandbox.PagerDuty;

/// <summary>How the simulated PagerDuty delivers its webhooks, and its escalation clock's controls.</summary>
public class PagerDutySandboxWebhookTests
{
    private static SandboxPagerDutyService Lambda => PagerDutyDirectory.Services[0];

    [Fact]
    public async Task A_delivery_answered_with_a_server_error_is_retried_with_the_same_webhook_id_and_body()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        pd.Subscriber.Script("POST", "/pagerduty/webhooks", new ScriptedResponse(500, "oops"), new ScriptedResponse(429, "slow down"));

        pd.PagerDuty.Trigger(Lambda, "Lambda errors", "critical", "k1");

        var attempts = await pd.Subscriber.WaitForAsync(r => r.Path == "/pagerduty/webhooks", 3);
        Assert.Equal([500, 429, 202], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.Header("X-Webhook-Id")).Distinct());
        Assert.Single(attempts.Select(a => a.Body).Distinct());
        await WaitUntil(() => pd.PagerDuty.Webhooks.Log.Count == 1);
        var delivery = Assert.Single(pd.PagerDuty.Webhooks.Log);
        Assert.Equal(("delivered", 3), (delivery.Outcome, delivery.Attempts));
    }

    [Fact]
    public async Task A_client_error_drops_the_webhook_and_three_drops_in_a_row_disable_the_subscription()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        pd.Subscriber.Script("POST", "/pagerduty/webhooks", new ScriptedResponse(401, "no"), new ScriptedResponse(400, "no"), new ScriptedResponse(404, "no"));

        for (var i = 0; i < 4; i++) pd.PagerDuty.Trigger(Lambda, $"Incident {i}", "critical", $"k{i}");

        await WaitUntil(() => pd.PagerDuty.Webhooks.Log.Count == 4);
        Assert.Equal(["dropped (401)", "dropped (400)", "dropped (404)", "not sent (subscription disabled)"], pd.PagerDuty.Webhooks.Log.Select(d => d.Outcome));
        Assert.Equal(3, pd.Subscriber.Requests.Count(r => r.Path == "/pagerduty/webhooks"));
        Assert.False(pd.PagerDuty.Webhooks.Enabled);

        var resubscribe = await pd.Http.PutAsync("/_sandbox/pagerduty/subscription",
            new StringContent($$"""{"url":"{{pd.Subscriber.WebhookUrl}}"}""", Encoding.UTF8, "application/json"));
        pd.PagerDuty.Trigger(Lambda, "Incident 5", "critical", "k5");
        Assert.Equal(HttpStatusCode.OK, resubscribe.StatusCode);
        Assert.Single(await pd.WebhooksAsync(1));
    }

    [Fact]
    public async Task Webhooks_of_changes_arrive_in_the_order_they_happened()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var incident = pd.PagerDuty.Trigger(Lambda, "Lambda errors", "critical", "k1");
        pd.PagerDuty.Acknowledge(incident.Id, PagerDutyDirectory.Alice);
        pd.PagerDuty.Escalate(incident.Id, 2, PagerDutyAgent.Of(PagerDutyDirectory.Alice));
        pd.PagerDuty.Resolve(incident.Id, PagerDutyAgent.Of(PagerDutyDirectory.Bob));

        Assert.Equal(["incident.triggered", "incident.acknowledged", "incident.escalated", "incident.resolved"], await pd.WebhookTypesAsync(4));
    }

    [Fact]
    public async Task Only_loopback_subscribers_are_accepted()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var response = await pd.Http.PutAsync("/_sandbox/pagerduty/subscription",
            new StringContent("""{"url":"https://bot.example.com/pagerduty/webhooks"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(pd.Subscriber.WebhookUrl, pd.PagerDuty.Webhooks.Url);
    }

    [Fact]
    public async Task At_clock_speed_60_a_fifteen_minute_level_lasts_fifteen_seconds()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var incident = pd.PagerDuty.Trigger(Lambda, "Lambda errors", "critical", "k1");
        pd.Time.Advance(TimeSpan.FromMinutes(3));

        var response = await pd.Http.PostAsync("/_sandbox/pagerduty/clock", new StringContent("""{"speed":60}""", Encoding.UTF8, "application/json"));
        var pending = pd.PagerDuty.Incident(incident.Id)!.EscalateAt;
        pd.Time.Advance(TimeSpan.FromSeconds(12));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PagerDutySandbox.Start.AddMinutes(3).AddSeconds(12), pending); // 12 minutes were left: 12 s at 60x
        Assert.Equal(2, pd.PagerDuty.Incident(incident.Id)!.Level);
        Assert.Equal(PagerDutySandbox.Start.AddMinutes(3).AddSeconds(12 + 30), pd.PagerDuty.Incident(incident.Id)!.EscalateAt);
    }

    [Fact]
    public async Task Fast_forwarding_performs_what_would_have_happened_meanwhile()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var incident = pd.PagerDuty.Trigger(Lambda, "Lambda errors", "critical", "k1");

        var response = await pd.Http.PostAsync("/_sandbox/pagerduty/clock", new StringContent("""{"fastForward":"00:50:00"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, pd.PagerDuty.Incident(incident.Id)!.Level);
        Assert.Equal(PagerDutySandbox.Start.AddMinutes(55), pd.PagerDuty.Incident(incident.Id)!.EscalateAt);
        Assert.Equal(["incident.triggered", "incident.escalated", "incident.escalated"], await pd.WebhookTypesAsync(3));
    }

    /// <summary>Waits for the delivery pump (a background task) to record its outcomes.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
