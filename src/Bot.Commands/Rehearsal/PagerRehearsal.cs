using System.Globalization;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Rehearsal;

/// <summary>
/// The PagerDuty half of <c>/sb sandbox</c>: <c>incident &lt;scenario&gt; [target]</c> breaks something and pages the
/// sandbox's PagerDuty about it (which then escalates on its clock and sends webhooks to the bot);
/// <c>pager [speed &lt;n&gt; | forward &lt;15m&gt; | fail 5xx|slow|429|off [--rate 0.5] | handoff &lt;person&gt;]</c> shows the sandbox's incidents,
/// changes its escalation clock, makes its APIs fail on purpose (an outage, slow answers, rate limits) to rehearse them, and
/// changes who is on call for level 1 (a shift change: the bot hands over).
/// </summary>
internal static class PagerRehearsal
{
    public static Line Incident(IRehearsalAccount account, ParsedArguments args, double? rate)
    {
        var scenarios = Line.Join(", ", account.IncidentScenarios.Select(n => Line.Of(Code(n))));
        var scenario = args.Positional(1)?.ToLowerInvariant()
            ?? throw new UsageException(Line.Of("Say which incident: ", scenarios, "."));
        if (!account.IncidentScenarios.Contains(scenario))
            throw new UsageException(Line.Of(Value(scenario), " is not an incident scenario. Scenarios: ", scenarios, "."));
        var paged = account.PageIncident(scenario, args.Positional(2), rate);
        var incident = paged.Incident;
        return Line.Of(Emoji("rotating_light"), " Sandbox fault ", Code(paged.FaultId), $" set, and PagerDuty incident #{incident.Number} ", Code(incident.Id),
            " triggered on ", Code(incident.Service), ": ", Echo(incident.Title, 200),
            $". Level 1 ({paged.FirstOnCall}) {Deadline(paged.Now, incident)}. ",
            Code("/sb sandbox pager speed 60"), " makes its escalation clock run 60× faster; ", Code("/sb sandbox fix"), " ends the fault.");
    }

    public static Line Pager(IRehearsalAccount account, ParsedArguments args, double? rate)
    {
        switch (args.Positional(1)?.ToLowerInvariant())
        {
            case null:
                return Status(account);
            case "speed":
                var text = args.Positional(2) ?? throw new UsageException(Line.Of("Say how fast, e.g. ", Code("/sb sandbox pager speed 60"), " (1 is real time)."));
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || speed is < 0.01 or > 100_000)
                    throw new UsageException("The clock speed is a number from 0.01 to 100000 (1 is real time, 60 makes a minute pass in a second).");
                account.SetPagerClockSpeed(speed);
                return Line.Of(Emoji("stopwatch"), $" The sandbox's PagerDuty clock now runs {speed.ToString("0.##", CultureInfo.InvariantCulture)}× real time.\n", Status(account));
            case "forward":
                var span = DurationParser.Parse(args.Positional(2) ?? throw new UsageException(Line.Of("Say how far, e.g. ", Code("/sb sandbox pager forward 15m"), ".")),
                    TimeSpan.Zero, "forward");
                if (span > TimeSpan.FromDays(7)) throw new UsageException(Line.Of("Fast-forward at most 7 days (", Code("7d"), ")."));
                account.FastForwardPager(span);
                return Line.Of(Emoji("fast_forward"), $" The sandbox's PagerDuty clock jumped {args.Positional(2)} ahead.\n", Status(account));
            case "fail":
                var kind = args.Positional(2)?.ToLowerInvariant()
                           ?? throw new UsageException(Line.Of("Say how PagerDuty fails: ", Code("5xx"), ", ", Code("slow"), " or ", Code("429"), " (", Code("off"), " ends it)."));
                if (kind is "off" or "ok" or "none")
                {
                    var healed = account.HealPager();
                    return Line.Of(Emoji("white_check_mark"), healed ? " The sandbox's PagerDuty works again.\n" : " The sandbox's PagerDuty was not failing.\n", Status(account));
                }
                var failure = account.FailPager(kind, rate ?? 1);
                return Line.Of(Emoji("boom"), $" The sandbox's PagerDuty now fails {failure.Rate.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal)} of its API requests with ",
                    Code(failure.Kind), " (webhooks still arrive). ", Code("/sb sandbox pager fail off"), " ends it.\n", Status(account));
            case "handoff":
                var who = args.Positional(2) ?? throw new UsageException(Line.Of("Say who comes on call, e.g. ", Code("/sb sandbox pager handoff erin"), "."));
                var shift = account.HandOverPager(who)
                            ?? throw new UsageException(Line.Of(Value(who), " is nobody in the sandbox's PagerDuty; its people: ", Line.Join(", ", account.PagerPeople.Select(p => Line.Of(Code(p)))), "."));
                return Line.Of(Emoji("arrows_counterclockwise"), " ", Echo(shift.Name, 80), " (", Echo(shift.Email, 80), ") is on call for level 1 of the sandbox's policy since ",
                    Time(shift.Since), ": the bot posts the handoff at its next look (", Code("Incidents__Handoff__CheckEvery"), ").");
            default:
                throw new UsageException(Line.Of(Value(args.Positional(1)), " is not a pager action: use ", Code("pager"), ", ", Template("pager speed <n>"), ", ",
                    Template("pager forward <15m>"), ", ", Template("pager fail 5xx|slow|429|off"), " or ", Template("pager handoff <person>"), "."));
        }
    }

    private static Line Status(IRehearsalAccount account)
    {
        var pagerDuty = account.ReadPager();
        var open = pagerDuty.Open;
        var webhooks = pagerDuty.WebhooksEnabled ? $"webhooks to {pagerDuty.WebhookUrl}, {pagerDuty.WebhooksDelivered} of {pagerDuty.WebhooksSent} delivered" : "webhooks not delivered";
        if (pagerDuty.Failure is { } failing) webhooks += $"; its APIs fail {failing.Rate.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal)} with {failing.Kind}";
        var text = new LineBuilder(Emoji("pager"), $" Sandbox PagerDuty (clock {pagerDuty.ClockSpeed.ToString("0.##", CultureInfo.InvariantCulture)}×, {webhooks}): ");
        if (open.Count == 0) return text.Add("no open incidents. ", Code("/sb sandbox incident lambda-errors"), " pages one.");
        text.AddLine($"{open.Count} open incident(s)");
        foreach (var incident in open)
        {
            text.AddLine($"• #{incident.Number} ", Code(incident.Id), $" {incident.Status}, level {incident.Level} ({incident.LevelName}: {string.Join(", ", incident.Assignees)}), ",
                Deadline(pagerDuty.Now, incident), " — ", Echo(incident.Title, 200));
        }
        return text.ToLine().TrimEnd();
    }

    private static string Deadline(DateTimeOffset now, RehearsalIncident incident)
    {
        if (incident.EscalateAt is { } at) return $"escalates at {at:HH:mm:ss} UTC (in {Left(at - now)})";
        if (incident.UnacknowledgeAt is { } back) return $"acknowledged until {back:HH:mm:ss} UTC (in {Left(back - now)})";
        return "does not escalate further";
    }

    private static string Left(TimeSpan t) =>
        t < TimeSpan.FromMinutes(1) ? $"{Math.Max(0, (int)t.TotalSeconds)} s" : t < TimeSpan.FromHours(1) ? $"{(int)t.TotalMinutes} min" : $"{t.TotalHours:0.#} h";
}
