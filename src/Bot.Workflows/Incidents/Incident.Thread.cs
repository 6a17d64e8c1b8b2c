using System.Globalization;
using System.Text.Json;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Incidents;

/// <summary>The longer messages of the thread: the playbook's steps, the diagnostics, and the summary on resolve.</summary>
public sealed partial class Incident
{
    public const int MaxSummaryLines = 40;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A message in the thread (no buttons of this incident's own: its card has those).</summary>
    private void PostInThread(ChatContent content)
    {
        if (!HasThread) return;
        Send(new Engine.OutboxDraft { Channel = CardChannel!, Content = content, ThreadUnderKey = CardKey });
    }

    private void PostRunbook(PlaybookRef playbook) => PostInThread(ChatContent.Of(new Card
    {
        Title = $"Runbook: {playbook.Title}",
        Tone = CardTone.Info,
        Status = Line.Of("The ops guide's resolution steps. The investigation it prescribes follows below."),
        Details = playbook.Steps.Select((step, i) => Line.Of($"{i + 1}. ", step)).ToList(),
    }));

    private void PostDiagnostics(FireContext ctx)
    {
        var report = ctx.Activity?.DetailJson is { } json ? JsonSerializer.Deserialize<DiagnosticsReport>(json, Json) : null;
        if (report is null || Data.Playbook is not { } playbook) return;
        Data.Log.Add(new IncidentLogEntry(ctx.Now, $"Diagnostics: {report.ErrorLineCount} ERROR line(s); " +
            string.Join(", ", report.Metrics.Select(m => $"{m.Metric} {Number(m.Total)}"))));

        var target = playbook.Function ?? playbook.Table ?? playbook.Api ?? "";
        var details = new List<Line>();
        if (report.ErrorLines.Count > 0)
        {
            details.Add(Line.Of(Strong($"Newest ERROR lines ({report.ErrorLines.Count} of {report.ErrorLineCount}, secrets masked):")));
            details.AddRange(report.ErrorLines.Select(l => Line.Of(Code(l))));
        }
        else if (playbook.Function is not null)
        {
            details.Add(Line.Of("No ERROR lines in the last hour."));
        }
        if (report.LiveAlias is { } alias) details.Add(Line.Of(Strong("Alias now: "), Code(alias)));
        if (report.AliasChanges.Count > 0)
        {
            details.Add(Line.Of(Strong("Recent alias changes:")));
            details.AddRange(report.AliasChanges.Select(c => Line.Of("• ", c)));
        }
        else if (playbook.Function is not null)
        {
            details.Add(Line.Of("No alias changes by the bot in the last day."));
        }
        foreach (var problem in report.Problems) details.Add(Line.Of("⚠️ ", problem));

        var card = new Card
        {
            Title = $"Diagnostics: {playbook.Title}" + (target.Length > 0 ? $" · {target}" : ""),
            Tone = report.ErrorLineCount > 0 || report.Metrics.Any(m => m.Total > 0) ? CardTone.Warning : CardTone.Info,
            Status = Line.Of("The last hour, as of ", Time(ctx.Now), "."),
            Fields = report.Metrics.Select(m => new CardField($"{m.Metric} · {m.Resource}", Line.Of($"{Number(m.Total)}{(m.Unit == "count" ? "" : " " + m.Unit)} (worst minute {Number(m.Peak)})"))).ToList(),
            Details = details,
        };
        if (report.Rollback is { } offer)
        {
            card = card with
            {
                Footer = [Line.Of($"Change {offer.ChangeId} moved {offer.Function} from version {offer.FromVersion} to {offer.ToVersion}, completed ", Time(offer.CompletedAt),
                    "; its one-click rollback to the approved previous version lasts until ", Time(offer.Until), ".")],
                // The change's own button, at the version of the change's card: it goes stale with that card.
                Ref = new CardRef(Change.Type, offer.ChangeId, offer.CardVersion),
                Buttons = [new CardButton($"Roll back to v{offer.FromVersion}", nameof(ChangeTrigger.RollBack), ButtonStyle.Danger,
                    Confirm: $"Move PROD of {offer.Function} back to version {offer.FromVersion}?", AskFor: "why you are rolling back")],
            };
        }
        else if (report.RollbackCommand is { } command)
        {
            card = card with
            {
                Footer = [Line.Of("No deploy of this function by the bot is within its one-click rollback window; a rollback change needs an approval.")],
                Buttons = [CardButton.RunsCommand("Request a rollback change", command, ButtonStyle.Danger, $"Request: /sb {command}?")],
            };
        }
        PostInThread(ChatContent.Of(card));
        if (report.Chart is { } chart) PostInThread(new ChatContent(Line.Of("📈 ", chart.Title)) { Chart = chart });
    }

    /// <summary>The summary for the postmortem: times to acknowledge and resolve, who acted, the escalations, and the timeline in UTC.</summary>
    private void PostSummary()
    {
        var triggered = Data.TriggeredAt;
        var fields = new List<CardField>
        {
            new("Triggered", Line.Of(Utc(triggered))),
            new("Acknowledged", Data.AcknowledgedAt is { } ack ? Line.Of($"{Utc(ack)} (after {Minutes(ack - triggered)})") : Line.Of("never")),
            new("Resolved", Data.ResolvedAt is { } done ? Line.Of($"{Utc(done)} (after {Minutes(done - triggered)})") : Line.Of("—")),
            new("Who acted", Line.Of(WhoActed() is { Length: > 0 } who ? who : "nobody by name")),
            new("Escalations", Line.Of(Data.Escalations.Count == 0 ? "none"
                : string.Join("; ", Data.Escalations.Select(e => $"{Utc(e.At)} level {e.From + 1} → {e.To + 1} ({e.By})")))),
            new("Highest level", Line.Of(LevelName(Data.Escalations.Select(e => e.To).DefaultIfEmpty(Data.Level).Max()))),
        };
        var lines = Data.Log.Count <= MaxSummaryLines ? Data.Log : [Data.Log[0], .. Data.Log.TakeLast(MaxSummaryLines - 1)];
        PostInThread(ChatContent.Of(new Card
        {
            Title = $"Summary of incident {Label}: {Data.Title}",
            Tone = CardTone.Good,
            Status = Line.Of("For the postmortem; times in UTC."),
            Fields = fields,
            Details = [Line.Of(Strong("Timeline")), .. lines.Select(l => Line.Of($"{Utc(l.At)}  {l.Text}"))],
            Footer = [Line.Of("PagerDuty ", Code(Id), Data.Service is { } s ? $" · {s}" : "")],
        }));
    }

    /// <summary>Each person whose action took effect, once (older records kept only names).</summary>
    private string WhoActed() => Data.People.Count > 0 ? string.Join(", ", Data.People) : string.Join(", ", Data.Actors);

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(value >= 100 || value == Math.Floor(value) ? "N0" : "0.##", CultureInfo.InvariantCulture);
}
