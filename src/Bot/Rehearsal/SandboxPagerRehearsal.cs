using System.Globalization;
using System.Text;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Sandbox.Account;
using Bot.Sandbox.PagerDuty;

namespace Bot.Rehearsal;

/// <summary>
/// The PagerDuty half of <c>/sb sandbox</c>: <c>incident &lt;scenario&gt; [target]</c> breaks something and pages the
/// sandbox's PagerDuty about it (which then escalates on its clock and sends webhooks to the bot);
/// <c>pager [speed &lt;n&gt; | forward &lt;15m&gt;]</c> shows the sandbox's incidents and changes its escalation clock.
/// </summary>
internal static class SandboxPagerRehearsal
{
    public static string Incident(SandboxAccount account, ParsedArguments args, double? rate)
    {
        var scenario = args.Positional(1)?.ToLowerInvariant()
            ?? throw new UsageException($"Say which incident: {string.Join(", ", PagerDutyScenarios.Names.Select(n => $"`{n}`"))}.");
        if (!PagerDutyScenarios.Names.Contains(scenario))
            throw new UsageException($"{SlackText.Code(scenario)} is not an incident scenario. Scenarios: {string.Join(", ", PagerDutyScenarios.Names.Select(n => $"`{n}`"))}.");
        var paged = PagerDutyScenarios.Page(account, scenario, args.Positional(2), rate);
        var incident = paged.Incident;
        return $":rotating_light: Sandbox fault `{paged.Fault.Id}` set, and PagerDuty incident #{incident.Number} `{incident.Id}` triggered on `{incident.Service}`: " +
               $"{Escape(incident.Title)}. Level 1 ({PagerDutyDirectory.Levels[0].OnCall.Name}) {Deadline(account, incident)}. " +
               "`/sb sandbox pager speed 60` makes its escalation clock run 60× faster; `/sb sandbox fix` ends the fault.";
    }

    public static string Pager(SandboxAccount account, ParsedArguments args)
    {
        var pagerDuty = account.PagerDuty;
        switch (args.Positional(1)?.ToLowerInvariant())
        {
            case null:
                return Status(account);
            case "speed":
                var text = args.Positional(2) ?? throw new UsageException("Say how fast, e.g. `/sb sandbox pager speed 60` (1 is real time).");
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || speed is < 0.01 or > 100_000)
                    throw new UsageException("The clock speed is a number from 0.01 to 100000 (1 is real time, 60 makes a minute pass in a second).");
                pagerDuty.SetClockSpeed(speed);
                return $":stopwatch: The sandbox's PagerDuty clock now runs {speed.ToString("0.##", CultureInfo.InvariantCulture)}× real time.\n{Status(account)}";
            case "forward":
                var span = DurationParser.Parse(args.Positional(2) ?? throw new UsageException("Say how far, e.g. `/sb sandbox pager forward 15m`."), TimeSpan.Zero, "forward");
                if (span > TimeSpan.FromDays(7)) throw new UsageException("Fast-forward at most 7 days (`7d`).");
                pagerDuty.FastForward(span);
                return $":fast_forward: The sandbox's PagerDuty clock jumped {args.Positional(2)} ahead.\n{Status(account)}";
            default:
                throw new UsageException($"{SlackText.Code(args.Positional(1))} is not a pager action: use `pager`, `pager speed <n>` or `pager forward <15m>`.");
        }
    }

    private static string Status(SandboxAccount account)
    {
        var pagerDuty = account.PagerDuty;
        var open = pagerDuty.Incidents.Where(i => i.Status != "resolved").ToList();
        var log = pagerDuty.Webhooks.Log;
        var webhooks = pagerDuty.Webhooks.Enabled ? $"webhooks to {pagerDuty.Webhooks.Url}, {log.Count(d => d.Outcome == "delivered")} of {log.Count} delivered" : "webhooks not delivered";
        var text = new StringBuilder($":pager: Sandbox PagerDuty (clock {pagerDuty.ClockSpeed.ToString("0.##", CultureInfo.InvariantCulture)}×, {webhooks}): ");
        if (open.Count == 0) return text.Append("no open incidents. `/sb sandbox incident lambda-errors` pages one.").ToString();
        text.Append(open.Count).AppendLine(" open incident(s)");
        foreach (var incident in open)
        {
            var level = PagerDutyDirectory.Levels[incident.Level - 1];
            text.Append("• #").Append(incident.Number).Append(" `").Append(incident.Id).Append("` ").Append(incident.Status)
                .Append(", level ").Append(incident.Level).Append(" (").Append(level.Name).Append(": ").Append(string.Join(", ", incident.Assignees)).Append("), ")
                .Append(Deadline(account, incident)).Append(" — ").AppendLine(Escape(incident.Title));
        }
        return text.ToString().TrimEnd();
    }

    private static string Deadline(SandboxAccount account, SandboxIncidentView incident)
    {
        var now = account.Time.GetUtcNow();
        if (incident.EscalateAt is { } at) return $"escalates at {at:HH:mm:ss} UTC (in {Left(at - now)})";
        if (incident.UnacknowledgeAt is { } back) return $"acknowledged until {back:HH:mm:ss} UTC (in {Left(back - now)})";
        return "does not escalate further";
    }

    private static string Left(TimeSpan t) =>
        t < TimeSpan.FromMinutes(1) ? $"{Math.Max(0, (int)t.TotalSeconds)} s" : t < TimeSpan.FromHours(1) ? $"{(int)t.TotalMinutes} min" : $"{t.TotalHours:0.#} h";

    private static string Escape(string text) => SlackText.Echo(text, 200);
}
