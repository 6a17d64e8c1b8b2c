using Bot.Commands.Incidents;
using Bot.IntegrationTests.Slack;
using Bot.Sandbox.Account;
using Bot.Sandbox.PagerDuty;
using Bot.Workflows.Incidents;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.Incidents;

/// <summary>
/// Two teams share one PagerDuty account (the sandbox's: SecureBase's services and the Payments team's): the whole bot on
/// the bot's clock, with levels of two seconds, follows only SecureBase's incident. The other team's gets no thread, no
/// reconciler pass and no escalation, and its webhooks are answered and dropped.
/// </summary>
public sealed class IncidentScopeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Another_teams_incident_in_the_same_account_never_gets_a_thread_a_reconciler_pass_or_an_escalation()
    {
        await using var bot = await SlackBot.StartAsync(settings =>
        {
            settings["Sandbox:Enabled"] = "true";
            settings["Slack:OpsChannelId"] = "C0OPS";
            settings["Escalation:Clock"] = "bot";
            for (var level = 0; level < 3; level++) settings[$"Escalation:Levels:{level}:RespondWithin"] = "00:00:02";
            settings["Incidents:NudgeBefore"] = "00:00:00";
            settings["Incidents:ReconcileEvery"] = "00:00:00"; // the test runs it
        });
        _ = bot.Client;
        var account = bot.Factory.Services.GetRequiredService<SandboxAccount>();
        var store = bot.Factory.Services.GetRequiredService<IWorkflowStore>();
        await WaitUntil(() => account.PagerDuty.Webhooks.Enabled);

        var theirs = account.PagerDuty.Trigger(PagerDutyDirectory.PaymentsService, "Payments API answering 5xx", "critical", "payments/5xx");
        var ours = PagerDutyScenarios.Page(account, PagerDutyScenarios.LambdaErrors).Incident;

        await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains($"Incident #{ours.Number}", StringComparison.Ordinal), timeout: Patience);
        await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains(" to level 3 (", StringComparison.Ordinal), timeout: Patience);
        var report = await bot.Factory.Services.GetRequiredService<IncidentReconciler>().RunOnceAsync(CancellationToken.None);
        await WaitUntil(() => account.PagerDuty.Webhooks.Log.Any(d => d.IncidentId == theirs.Id && d.EventType == "incident.triggered"));

        Assert.Null(await store.LoadAsync(Incident.Type, theirs.Id, CancellationToken.None));
        Assert.NotNull(await store.LoadAsync(Incident.Type, ours.Id, CancellationToken.None));
        Assert.Equal((1, 0), (report.OpenInPagerDuty, report.Opened));
        Assert.Equal(1, account.PagerDuty.Incident(theirs.Id)!.Level);
        Assert.Equal("triggered", account.PagerDuty.Incident(theirs.Id)!.Status);
        Assert.True(account.PagerDuty.Incident(ours.Id)!.Level >= 3);
        Assert.DoesNotContain(bot.Slack.Calls("chat.postMessage"), r => r.Body.Contains("Payments", StringComparison.Ordinal));
        var delivery = Assert.Single(account.PagerDuty.Webhooks.Log, d => d.IncidentId == theirs.Id);
        Assert.Equal(("delivered", 202), (delivery.Outcome, delivery.LastStatus));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(20, cts.Token);
    }

    [Fact]
    public async Task While_pagerdutys_rest_api_is_down_a_trigger_still_opens_its_thread_from_the_webhooks_own_data()
    {
        await using var bot = await SlackBot.StartAsync(settings =>
        {
            settings["Sandbox:Enabled"] = "true";
            settings["Slack:OpsChannelId"] = "C0OPS";
            settings["Incidents:ReconcileEvery"] = "00:00:00";
            settings["PagerDuty:Retry:BaseDelay"] = "00:00:00.010";
        });
        _ = bot.Client;
        var account = bot.Factory.Services.GetRequiredService<SandboxAccount>();
        var store = bot.Factory.Services.GetRequiredService<IWorkflowStore>();
        await WaitUntil(() => account.PagerDuty.Webhooks.Enabled);
        account.PagerDuty.Failures.Set(PagerDutyFailureKind.ServerError, 1);

        var ours = PagerDutyScenarios.Page(account, PagerDutyScenarios.LambdaErrors).Incident;

        await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains($"Incident #{ours.Number}", StringComparison.Ordinal), timeout: Patience);
        var incident = (Incident)Incident.Definition.Restore((await store.LoadAsync(Incident.Type, ours.Id, CancellationToken.None))!);
        Assert.Equal((IncidentState.Triggered, 0, PagerDutyDirectory.LambdaService), (incident.CurrentState, incident.Data.Level, incident.Data.Service));
        Assert.Equal(ours.Title, incident.Data.Title);
    }
}
