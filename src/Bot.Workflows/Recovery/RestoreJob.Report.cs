using System.Text.Json;
using Bot.Workflows.Messages;
using Bot.Workflows.Recovery.Activities;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Recovery;

/// <summary>How a restore job shows itself, and its final report (a drill's with RTO/RPO against the objectives and a chart).</summary>
public sealed partial class RestoreJob
{
    protected override Card DescribeCard()
    {
        var drill = Data.Purpose == RestorePurpose.Drill;
        var fields = new List<CardField>
        {
            new("Environment", Line.Of(Code(Data.Environment))),
            new(drill ? "Drill" : "Requested by", drill && Data.ChangeId is null ? Line.Of("staging, no approval needed; started by ", User(Data.RequesterId, Data.RequesterName)) : Line.Of(User(Data.RequesterId, Data.RequesterName))),
        };
        if (Data.ChangeId is { } change) fields.Add(new CardField("Change", Line.Of(Code(change))));
        return new Card
        {
            Title = drill ? $"DR drill {Id} ({Data.Environment})" : $"Restore {Id}: {Data.Steps.FirstOrDefault()?.Source}",
            Tone = CurrentState switch
            {
                RestoreJobState.Completed => Data.Steps.Any(s => s.Mismatch || !WithinObjectives(s)) ? CardTone.Warning : CardTone.Good,
                RestoreJobState.Failed => CardTone.Bad,
                _ => CardTone.Working,
            },
            Status = CurrentState switch
            {
                RestoreJobState.Starting => Line.Of("Starting the restore(s)"),
                RestoreJobState.Restoring => Line.Of($"Restoring: {Data.Steps.Count(s => s.Status == RestoreStepStatus.Verified)} of {Data.Steps.Count} verified"),
                RestoreJobState.CleaningUp => Line.Of("Measured; deleting the drill tables"),
                RestoreJobState.Completed => Line.Of("Completed at ", Time(Data.FinishedAt ?? Data.CreatedAt)),
                _ => Line.Of("Failed: ", Data.Finding ?? "see the thread"),
            },
            Fields = fields,
            Details = Data.Steps.Select(StepLine).ToList(),
            Footer = [Line.Of("Started ", Time(Data.CreatedAt), " · looks every ", OperationPlan.Span(Data.PollInterval))],
        };
    }

    private Line StepLine(RestoreStep s)
    {
        var state = s.Status switch
        {
            RestoreStepStatus.Pending => Line.Of("waiting to start"),
            RestoreStepStatus.Restoring => Line.Of("restoring since ", Time(s.StartedAt ?? Data.CreatedAt)),
            RestoreStepStatus.Verified => Line.Of(s.Mismatch ? "differs from the source" : "verified", $" after {OperationPlan.Span(s.Rto ?? TimeSpan.Zero)}",
                s.DeletedAt is not null ? "; drill table deleted" : ""),
            _ => Line.Of("failed: ", s.Error ?? ""),
        };
        return Line.Of(Code(s.Source), " → ", Code(s.Target), ": ", state);
    }

    private static bool WithinObjectives(RestoreStep s) =>
        s.Objective is not { } o || (s.Rto is { } rto && rto <= o.Rto && s.Rpo is { } rpo && rpo <= o.Rpo);

    private void Finish(bool succeeded)
    {
        var ctx = Context;
        Data.FinishedAt = ctx.Now;
        if (ctx.Activity is { Kind: nameof(DeleteDrillTables) } cleanup)
        {
            foreach (var d in RecoveryJson.Read<List<DrillTableDeletion>>(cleanup.DetailJson) ?? [])
            {
                var step = Data.Steps.FirstOrDefault(s => s.Target == d.Target);
                if (step is not null && d.Gone) step.DeletedAt = ctx.Now;
                if (!d.Gone) Timeline(Line.Of(Emoji("warning"), " ", Code(d.Target), " was not deleted: ", d.Error ?? ""), alsoToChannel: true);
            }
        }
        if (!succeeded) Data.Finding ??= ctx.Activity is { Succeeded: false } failed ? failed.Message : Data.Steps.FirstOrDefault(s => s.Error is not null)?.Error ?? "it failed";

        if (Data.Purpose == RestorePurpose.Drill) ReportDrill();
        else ReportRestore(succeeded);
    }

    private void ReportRestore(bool succeeded)
    {
        var step = Data.Steps.First();
        if (succeeded)
        {
            Timeline(Line.Of(Emoji(step.Mismatch ? "warning" : "white_check_mark"), " ", Strong("Restore verified: "), Code(step.Target), " holds ", Code(step.Source),
                " as it was at ", Time(step.RestoreTo ?? Data.CreatedAt), $" ({step.CopyItems:N0} items). ", string.Join("; ", step.Checks), "."), alsoToChannel: true);
            Timeline(Line.Of(Strong("Next, for the team: "), "the bot does not switch the application's table. Compare the data you need in ", Code(step.Target),
                ", then either copy the rows back or point the functions' table setting at it through a configuration change (", Code("/sb config"),
                "), and delete the copy once it is no longer needed."));
            Notify(Data.RequesterId, Line.Of("Restore ", Code(Id), " is verified: ", Code(step.Target), " is ready."));
        }
        else
        {
            Timeline(Line.Of(Emoji("x"), " ", Strong("Restore failed: "), Data.Finding ?? "", ". The source table ", Code(step.Source), " was not touched."), alsoToChannel: true);
            Notify(Data.RequesterId, Line.Of("Restore ", Code(Id), " failed: ", Data.Finding ?? ""));
        }
    }

    private void ReportDrill()
    {
        var met = Data.Steps.Count(s => s.Status == RestoreStepStatus.Verified && !s.Mismatch && WithinObjectives(s));
        var lines = new List<Line>
        {
            Line.Of(Emoji(met == Data.Steps.Count ? "white_check_mark" : "warning"), " ", Strong($"DR drill report ({Data.Environment})"),
                $": {met} of {Data.Steps.Count} table(s) restored, verified and within their objectives."),
        };
        foreach (var s in Data.Steps)
        {
            if (s.Status != RestoreStepStatus.Verified)
            {
                lines.Add(Line.Of(Emoji("x"), " ", Code(s.Source), ": ", s.Error ?? "not restored"));
                continue;
            }
            var o = s.Objective;
            lines.Add(Line.Of(Emoji(WithinObjectives(s) && !s.Mismatch ? "white_check_mark" : "warning"), " ", Code(s.Source), ": ACTIVE after ",
                OperationPlan.Span((s.ActiveAt ?? s.VerifiedAt!.Value) - s.StartedAt!.Value), ", verified after ", OperationPlan.Span(s.Rto!.Value),
                $" — RTO {OperationPlan.Span(s.Rto!.Value)}", o is null ? "" : $" (objective {OperationPlan.Span(o.Rto)})",
                $", RPO {OperationPlan.Span(s.Rpo ?? TimeSpan.Zero)}", o is null ? "" : $" (objective {OperationPlan.Span(o.Rpo)})",
                $", {s.CopyItems:N0} items", s.Mismatch ? "; differs from the source: " + string.Join("; ", s.Checks.Where(c => c.Contains("differ", StringComparison.Ordinal))) : "",
                s.DeletedAt is not null ? "; drill table deleted" : "; drill table NOT deleted"));
        }
        lines.Add(Line.Of("Lessons learned and procedure updates: reply in this thread (the procedures' steps 4 and 5). The report is kept: ", Code("/sb drill history"), "."));
        foreach (var line in lines.Skip(1)) Timeline(line);
        Timeline(lines[0], alsoToChannel: true);
        Send(new Engine.OutboxDraft
        {
            Channel = Data.Channel,
            ThreadUnderKey = CardKey,
            Content = new ChatContent(Line.Of("📈 DR drill ", Id, ": seconds to ACTIVE and to a verified copy, per table")) { Chart = DrillChart() },
        });
        AuditDetail("drillReport", JsonSerializer.Serialize(Data.Steps.Select(s => new
        {
            s.Source, s.Target, Status = s.Status.ToString(), RtoSeconds = s.Rto?.TotalSeconds, RpoSeconds = s.Rpo?.TotalSeconds,
            ObjectiveRtoSeconds = s.Objective?.Rto.TotalSeconds, ObjectiveRpoSeconds = s.Objective?.Rpo.TotalSeconds, s.CopyItems, Deleted = s.DeletedAt is not null,
        })));
        Notify(Data.RequesterId, Line.Of("DR drill ", Code(Id), $" finished: {met} of {Data.Steps.Count} table(s) within their objectives."));
    }

    private Chart DrillChart()
    {
        var bars = new List<ChartBar>();
        foreach (var s in Data.Steps.Where(s => s.StartedAt is not null && s.VerifiedAt is not null))
        {
            var name = s.Source.StartsWith($"securebase-{Data.Environment}-", StringComparison.Ordinal) ? s.Source[$"securebase-{Data.Environment}-".Length..] : s.Source;
            bars.Add(new ChartBar($"{name}: to ACTIVE", ((s.ActiveAt ?? s.VerifiedAt!.Value) - s.StartedAt!.Value).TotalSeconds));
            bars.Add(new ChartBar($"{name}: verified", s.Rto!.Value.TotalSeconds));
        }
        return new Chart($"DR drill {Id} ({Data.Environment})", "seconds", []) { Bars = bars };
    }
}
