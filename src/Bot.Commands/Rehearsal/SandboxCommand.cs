using System.Globalization;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Rehearsal;

/// <summary>
/// <c>/sb sandbox …</c>: make the in-process sandbox account misbehave so incidents and rollbacks can be
/// rehearsed from the shell. Registered only when the sandbox is on (the host's <see cref="IRehearsalAccount"/>), so a
/// bot talking to real AWS has no such verb.
/// </summary>
public sealed class SandboxCommand(IRehearsalAccount account) : ICommandHandler
{
    public const string Verb = "sandbox";

    public CommandSpec Spec { get; } = new()
    {
        Verb = Verb,
        Summary = "Rehearsals: make the sandbox account misbehave and page its PagerDuty (only when the bot runs against the sandbox).",
        Usage = "/sb sandbox [status | break <function> | bad-version <function> | throttle <table> | api-errors <api> | slow <operation|service> <ms> | fix [fault-id] | incident <lambda-errors|dynamodb-throttling|api-5xx> [target] | pager [speed <n> | forward <15m> | fail 5xx|slow|429|off | handoff <person>] | rotation-fails [secret] | iam-drift <role>] [--rate 0.5]",
        Flags = [new FlagSpec("rate", "share of requests that fail, 0 to 1", ValueHint: "0.5")],
        MaxPositionals = 3,
        Examples = ["/sb sandbox break securebase-prod-user-management", "/sb sandbox bad-version securebase-prod-user-management", "/sb sandbox throttle securebase-prod-activity-feed --rate 0.3", "/sb sandbox slow DescribeTable 2000", "/sb sandbox fix", "/sb sandbox incident lambda-errors", "/sb sandbox pager speed 60", "/sb sandbox pager fail 5xx --rate 1", "/sb sandbox pager handoff erin", "/sb sandbox rotation-fails securebase-prod-jwt-secret", "/sb sandbox iam-drift securebase-prod-user-management-role"],
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var action = args.Positional(0)?.ToLowerInvariant() ?? "status";
        try
        {
            Line answer = action switch
            {
                "status" => Status(),
                "break" => Added(account.BreakFunction(Required(args, 1, "a function"), Rate(args, 0.5))),
                // The next version published of the function fails: rehearse a deploy that the bot rolls back by itself.
                "bad-version" => Added(account.BadNextVersion(Required(args, 1, "a function"), Rate(args, 0.5))),
                "throttle" => Added(account.ThrottleTable(Required(args, 1, "a table"), Rate(args, 0.2))),
                "api-errors" => Added(account.FailApi(Required(args, 1, "an API"), Rate(args, 0.1))),
                "slow" => Added(account.Slow(Required(args, 1, "an operation or service"), TimeSpan.FromMilliseconds(Milliseconds(Required(args, 2, "a delay in ms"))))),
                "fix" => Fix(args.Positional(1)),
                "incident" => PagerRehearsal.Incident(account, args, args.Flag("rate") is null ? null : Rate(args, 0)),
                "pager" => PagerRehearsal.Pager(account, args, args.Flag("rate") is null ? null : Rate(args, 0)),
                // Rotations that start now stop at testSecret, as a rotation function that cannot sign in with the new secret.
                "rotation-fails" => Added(account.FailRotations(args.Positional(1))),
                // A grant nobody removed, for the next /sb access to find.
                "iam-drift" => Drift(Required(args, 1, "an IAM role")),
                _ => throw new UsageException(Line.Of(Value(action), " is not a sandbox action.")),
            };
            return context.RespondAsync(ChatMessage.InChannel(answer), cancellationToken);
        }
        catch (ArgumentException e)
        {
            // The sandbox says what was wrong in words meant for people (unknown function, bad rate, …).
            throw new UserFacingException(Line.Of(Echo(e.Message.Split(" (Parameter", 2)[0], 300)));
        }
    }

    private Line Status()
    {
        var active = account.ActiveFaults;
        if (active.Count == 0)
            return Line.Of(Emoji("test_tube"), " The sandbox account behaves (no faults). ", Template("/sb sandbox break <function>"), " starts a rehearsal.");
        var text = new LineBuilder(Emoji("test_tube"), " Sandbox faults in force:\n");
        foreach (var fault in active) text.AddLine("• ", Value(fault.Id), " ", Describe(fault));
        return text.Add(Code("/sb sandbox fix"), " ends them all.");
    }

    private static Line Added(RehearsalFault fault) =>
        Line.Of(Emoji("test_tube"), " Sandbox fault ", Value(fault.Id), ": ", Describe(fault), ". ", Code($"/sb sandbox fix {Value(fault.Id).Text}"), " ends it.");

    private Line Fix(string? id)
    {
        if (id is null)
        {
            account.FixAll();
            return Line.Of(Emoji("test_tube"), " Every sandbox fault ended; metrics and logs recover from now on.");
        }
        return account.Fix(id)
            ? Line.Of(Emoji("test_tube"), " Sandbox fault ", Value(id), " ended.")
            : throw new UserFacingException(Line.Of("There is no active sandbox fault ", Value(id), ". ", Code("/sb sandbox status"), " lists them."));
    }

    private Line Drift(string role)
    {
        account.DriftRole(role);
        return Line.Of(Emoji("test_tube"), " ", Value(role, 100), " drifted: an inline policy ", Code("temporary-debug-access"), " allows ", Code("dynamodb:*"),
            " on every table (and user-management's data policy has a new default version). ", Code("/sb access"), " shows it.");
    }

    private static Line Describe(RehearsalFault fault) => fault switch
    {
        { Kind: "rotation-failure" } => Line.Of("rotations of ", fault.Target is null ? Line.Of("every secret") : Line.Of(Value(fault.Target, 100)), " fail at testSecret"),
        { Kind: "function-errors", Target: { } function } => Line.Of(Value(function, 100), $" fails {fault.Rate:P0} of invocations",
            fault.Version is null ? null : Line.Of(" of version ", Echo(fault.Version, 20))),
        { Kind: "table-throttle", Target: { } table } => Line.Of(Value(table, 100), $" throttles {fault.Rate:P0} of requests"),
        { Kind: "api-errors", Target: { } api } => Line.Of(Value(api, 100), $" answers {fault.Rate:P0} of requests with 5xx"),
        { Kind: "latency", Delay: { } delay } => Line.Of(fault.Target is null ? Line.Of("every AWS call") : Line.Of(Value(fault.Target, 100)), $" answers after {delay.TotalMilliseconds:0} ms"),
        _ => fault.Kind,
    };

    private static string Required(ParsedArguments args, int index, string what) =>
        args.Positional(index) ?? throw new UsageException($"Say which: {what}.");

    private static double Rate(ParsedArguments args, double fallback)
    {
        var text = args.Flag("rate");
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is > 0 and <= 1
            ? rate
            : throw new UsageException(Line.Of(Code("--rate"), " is a share between 0 and 1, e.g. ", Code("0.3"), "."));
    }

    private static double Milliseconds(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and <= 300_000
            ? ms
            : throw new UsageException("The delay is a whole number of milliseconds between 1 and 300000.");
}
