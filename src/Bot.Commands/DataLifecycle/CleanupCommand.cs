using System.Globalization;
using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Recovery;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.DataLifecycle;

/// <summary>
/// <c>/sb cleanup sessions --older-than 30d</c>: the ops guide's "Remove old user sessions (older than 30 days) — use
/// carefully in production". It first answers a dry run (how many, the oldest, a sample of keys, how long at the chosen
/// rate, how many are still valid) with a button that requests the clean-up as a change; <c>--request</c> does the same
/// from the command line. TTL is checked first: when TTL is on and keeps up, no clean-up is needed and none is offered;
/// a clean-up that would delete nothing is refused.
/// </summary>
public sealed class CleanupCommand(ISessionItems sessions, ChangeRequester requester, IOptions<SecureBaseOptions> options, IOptions<RecoveryOptions> recovery, TimeProvider time) : ICommandHandler
{
    public static readonly TimeSpan MinimumAge = TimeSpan.FromDays(1);

    public CommandSpec Spec { get; } = new()
    {
        Verb = "cleanup",
        Summary = "Delete old user sessions: a dry run first, then a change (conditional deletes, paced, pausable).",
        Usage = "/sb cleanup sessions --older-than 30d [--rate 100] [--env prod] [--request] [--reason \"…\"]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("older-than", "Sessions created longer ago than this (the guide: 30d).", ValueHint: "30d"),
            new FlagSpec("rate", "Sessions deleted a second at most (default Recovery__CleanupRate, 100).", ValueHint: "100"),
            new FlagSpec("request", "Request the clean-up change now instead of answering the dry run.", TakesValue: false),
            .. ChangeFlags.All,
        ],
        Examples = ["/sb cleanup sessions --older-than 30d", "/sb cleanup sessions --older-than 30d --env staging --rate 500 --request"],
        ChangesState = true,
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        if (!string.Equals(args.Positional(0), "sessions", StringComparison.OrdinalIgnoreCase))
            throw new UsageException(Line.Of("Clean up what? The guide's clean-up is ", Code("/sb cleanup sessions --older-than 30d"), "."));
        var age = DurationParser.Parse(args.Flag("older-than") ?? throw new UsageException(Line.Of("How old? ", Code("--older-than 30d"), " (the guide's 30 days).")), TimeSpan.Zero, "older-than");
        if (age < MinimumAge) throw new UsageException(Line.Of(Code("--older-than"), " is at least a day: a clean-up never touches today's sessions."));
        var rate = ParseRate(args.Flag("rate"), recovery.Value.CleanupRate);
        var (env, table) = RecoveryTargets.Table(options.Value, "user-sessions", args.Flag("env"));
        var now = time.GetUtcNow();
        var cutoff = (now - age).ToUnixTimeSeconds();

        var ttl = await ChangeReads.ReadAsync(Line.Of("the TTL of ", Code(table)), () => sessions.TimeToLiveAttributeAsync(table, cancellationToken));
        var scan = await ChangeReads.ReadAsync(Line.Of("the sessions of ", Code(table)), () => SessionScan.RunAsync(sessions, table, cutoff, now, cancellationToken));
        var days = (int)age.TotalDays;
        if (scan.Old == 0)
            throw new UserFacingException(Line.Of(Emoji("white_check_mark"), " No session of ", Code(table), $" is older than {DurationParser.Format(age)} ({scan.Scanned:N0} read): nothing to clean up. Nothing was requested."));
        if (ttl is not null && scan.PastTtlWindow == 0)
            throw new UserFacingException(Line.Of(Emoji("white_check_mark"), " TTL is on for ", Code(table), " (", Code(ttl), ") and keeps up: no session expired more than ",
                $"{SessionScan.TtlWindow.TotalHours:0} h ago is left. No clean-up is needed. ", $"The {scan.Old:N0} session(s) older than {DurationParser.Format(age)} ",
                scan.StillValid == scan.Old ? "are all still valid (\"remember me\"): deleting them would sign those users out." : "expire and are removed by TTL by themselves."));

        var plan = new SessionCleanupPlan(env.Name, table, days, cutoff, scan.Old, scan.StillValid, scan.Oldest, rate, ttl);
        if (!args.Has("request"))
        {
            await context.RespondAsync(DryRun(plan, scan, table, env.Name, age, rate), cancellationToken);
            return;
        }
        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);
        data.Spec = new ChangeSpec { Kind = ChangeKind.SessionCleanup, Environment = env.Name, Operation = plan };
        await requester.SubmitAsync(context, data, cancellationToken);
    }

    private static ChatMessage DryRun(SessionCleanupPlan plan, SessionScanResult scan, string table, string env, TimeSpan age, int rate)
    {
        var command = $"cleanup sessions --older-than {DurationParser.Format(age)} --env {env} --rate {rate} --request";
        var card = new Card
        {
            Title = $"Dry run: clean-up of {table}",
            Tone = CardTone.Info,
            Status = Line.Of($"{scan.Old:N0} session(s) created before ", Time(plan.CutoffTime), $" would be deleted ({scan.Scanned:N0} read); nothing was deleted"),
            Fields =
            [
                new CardField("Oldest", scan.Oldest is { } oldest ? Line.Of(Time(oldest)) : Line.Of("–")),
                new CardField("Still valid", Line.Of($"{scan.StillValid:N0}", scan.StillValid > 0 ? " (\"remember me\": those users would be signed out)" : "")),
                new CardField("TTL", plan.TtlAttribute is { } ttl ? Line.Of("on (", Code(ttl), $"), but {scan.PastTtlWindow:N0} expired more than {SessionScan.TtlWindow.TotalHours:0} h ago are still there") : Line.Of("off")),
                new CardField("Time", Line.Of($"about {OperationPlan.Span(plan.Estimated)} at {rate:N0} a second")),
            ],
            Details = [Line.Of(Strong("Sample: "), Line.Join(", ", scan.Sample.Select(k => Line.Of(Code($"{k.CustomerId}/{k.SessionId}")))))],
            Footer = [Line.Of("Each delete holds only if the session is still older than the cut-off. In production the clean-up is a change a second person approves.")],
            Buttons = [CardButton.RunsCommand("Request the clean-up (change)", command, ButtonStyle.Danger, $"Request: /sb {command}?")],
        };
        return ChatMessage.InChannel(Line.Of(Emoji("broom"), $" Dry run: {scan.Old:N0} old session(s) in ", Code(table)), [new CardBlock(card)]);
    }

    internal static int ParseRate(string? text, int fallback)
    {
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) || rate is < 1 or > 10_000)
            throw new UsageException(Line.Of(Code("--rate"), " is a whole number of sessions a second, from 1 to 10,000."));
        return rate;
    }
}
