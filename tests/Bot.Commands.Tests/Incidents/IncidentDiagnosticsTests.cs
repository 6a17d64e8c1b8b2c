using Bot.Testing;
using Bot.Commands.Tests.Audit;
using Bot.Integrations.Slack;
using System.Text.Json;
using Bot.Testing.Workflows;
using Bot.Workflows.Activities;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;

namespace Bot.Commands.Tests.Incidents;

/// <summary>The thread's runbook and diagnostics, and the one-click rollback they offer from the Change workflow.</summary>
public sealed class IncidentDiagnosticsTests : IncidentStoreTests
{
    private static readonly PlaybookRef LambdaErrors = new("lambda-errors", "Lambda function errors", ["Read the ERROR lines.", "Roll back if a deploy preceded the errors."],
        "prod", Function: ChangeHost.Fn);

    private IncidentHost _incidents = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _incidents = new IncidentHost(Store, Time);
    }

    private async Task OpenWithPlaybookAsync(PlaybookRef? playbook = null)
    {
        var data = IncidentHost.Data();
        data.Playbook = playbook ?? LambdaErrors;
        await _incidents.OpenAsync(data);
    }

    private Task<FireOutcome> ReportAsync(DiagnosticsReport report) =>
        _incidents.Engine.FireAsync(WorkflowTrigger.For(Incident.Type, IncidentHost.Id, IncidentTrigger.Diagnosed, WorkflowActor.Bot) with
        {
            Source = TriggerSource.Activity,
            Activity = ActivityOutcome.Success("incident/Q1INCIDENT/diagnose@1", nameof(DiagnoseIncident), "found errors",
                JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web))),
        }, CancellationToken.None);

    [Fact]
    public async Task A_matched_playbook_posts_its_steps_in_the_thread_and_asks_for_the_diagnostics()
    {
        await OpenWithPlaybookAsync();

        var runbook = (await _incidents.DeliverAsync()).Select(d => d.Content.Card).Single(c => c?.Title == "Runbook: Lambda function errors")!;
        var work = await Store.ListPendingWorkAsync(WorkQueues.IncidentActivities, 10, CancellationToken.None);

        Assert.Equal(["1. Read the ERROR lines.", "2. Roll back if a deploy preceded the errors."], runbook.Details.Select(l => l.ToPlainText()));
        var diagnose = Assert.Single(work);
        Assert.Contains("\"kind\":\"DiagnoseIncident\"", diagnose.PayloadJson);
        Assert.Contains("Run diagnostics", (await _incidents.CardAsync()).Buttons.Select(b => b.Label));
    }

    [Fact]
    public async Task The_diagnostics_show_error_lines_as_code_metrics_and_a_chart_and_offer_a_rollback_change_without_a_recent_deploy()
    {
        await OpenWithPlaybookAsync();
        var start = Time.GetUtcNow().AddHours(-1);

        await ReportAsync(new DiagnosticsReport
        {
            ErrorLineCount = 31,
            ErrorLines = ["2026-11-30T13:59:01Z ERROR Failed to send invite <!here> {\"to\":\"[REDACTED-EMAIL]\"}"],
            Metrics = [new MetricReading("Errors", ChangeHost.Fn, 31, 9, "count")],
            Chart = new Chart("errors, last hour", "per minute", [new ChartLine("Errors", [start], [9])]),
            LiveAlias = "PROD → version 8",
            RollbackCommand = $"rollback {ChangeHost.Fn} --category emergency --incident Q1INCIDENT",
        });

        var delivered = await _incidents.DeliverAsync();
        var card = delivered.Select(d => d.Content.Card).Single(c => c?.Title.StartsWith("Diagnostics", StringComparison.Ordinal) == true)!;
        Assert.Contains(card.Details, l => l.Spans is [CodeSpan { Text: var text }] && text.Contains("<!here>", StringComparison.Ordinal));
        Assert.Equal("31 (worst minute 9)", card.Fields.Single().Value.ToPlainText());
        var button = Assert.Single(card.Buttons);
        Assert.Equal($"rollback {ChangeHost.Fn} --category emergency --incident Q1INCIDENT", button.Command);
        Assert.Contains(delivered, d => d.Content.Chart?.Title == "errors, last hour");
    }

    [Fact]
    public async Task A_recent_deploy_offers_the_changes_own_rollback_button_which_rolls_it_back_to_the_approved_previous_version()
    {
        var changes = new ChangeHost(Store, Time);
        await changes.RequestAsync(ChangeHost.DeployData());
        await changes.FireAsync(ChangeTrigger.Approve, ChangeHost.Ben);
        await changes.SettleAsync();
        await changes.WatchAsync(TimeSpan.FromMinutes(11));
        var deploy = await changes.LoadAsync();
        Assert.Equal(ChangeState.Completed, deploy.CurrentState);
        await OpenWithPlaybookAsync(LambdaErrors with { Function = null }); // its diagnostics are the report below

        await ReportAsync(new DiagnosticsReport
        {
            Rollback = new RollbackOffer(deploy.Id, deploy.CardVersion, ChangeHost.Fn, "7", "8", deploy.Data.FinishedAt!.Value, deploy.Data.RollbackUntil!.Value),
        });
        var card = (await _incidents.DeliverAsync()).Select(d => d.Content.Card).Single(c => c?.Title.StartsWith("Diagnostics", StringComparison.Ordinal) == true)!;
        var button = CardRenderer.Button(Assert.Single(card.Buttons), card.Ref!);
        var payload = ButtonPayload.TryParse(button.Value)!;
        var rollback = await changes.Engine.FireAsync(new WorkflowTrigger(payload.AggregateType, payload.AggregateId, payload.Trigger, ChangeHost.Rob)
        {
            CardVersion = payload.Version,
            ArgumentsJson = JsonSerializer.Serialize(new { input = "incident Q1INCIDENT: errors after 1.8.0" }),
        }, CancellationToken.None);
        await changes.SettleAsync();

        Assert.Equal(("wf:change:RollBack", FireOutcomeKind.Transitioned), (button.ActionId, rollback.Kind));
        Assert.Equal("7", changes.Cloud.AliasVersion(ChangeHost.Fn));
        Assert.Equal(ChangeState.RolledBack, (await changes.LoadAsync()).CurrentState);
    }
}
