using System.Globalization;
using Bot.Commands.Routing;
using Bot.Sandbox.Account;
using Bot.Sandbox.Faults;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Rehearsal;

/// <summary>
/// <c>/sb sandbox …</c>: make the in-process sandbox account misbehave so incidents and rollbacks can be
/// rehearsed from the shell. Registered only when the sandbox is on, so a bot talking to real AWS has no such verb.
/// </summary>
public sealed class SandboxCommand(SandboxAccount account) : ICommandHandler
{
    public const string Verb = "sandbox";

    public CommandSpec Spec { get; } = new()
    {
        Verb = Verb,
        Summary = "Rehearsals: make the sandbox account misbehave and page its PagerDuty (only when the bot runs against the sandbox).",
        Usage = "/sb sandbox [status | break <function> | bad-version <function> | throttle <table> | api-errors <api> | slow <operation|service> <ms> | fix [fault-id] | incident <lambda-errors|dynamodb-throttling|api-5xx> [target] | pager [speed <n> | forward <15m>] | rotation-fails [secret] | iam-drift <role>] [--rate 0.5]",
        Flags = [new FlagSpec("rate", "share of requests that fail, 0 to 1", ValueHint: "0.5")],
        MaxPositionals = 3,
        Examples = ["/sb sandbox break securebase-prod-user-management", "/sb sandbox bad-version securebase-prod-user-management", "/sb sandbox throttle securebase-prod-activity-feed --rate 0.3", "/sb sandbox slow DescribeTable 2000", "/sb sandbox fix", "/sb sandbox incident lambda-errors", "/sb sandbox pager speed 60", "/sb sandbox rotation-fails securebase-prod-jwt-secret", "/sb sandbox iam-drift securebase-prod-user-management-role"],
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var action = args.Positional(0)?.ToLowerInvariant() ?? "status";
        var faults = account.Faults;
        try
        {
            Line answer = action switch
            {
                "status" => Status(),
                "break" => Added(faults.FunctionErrors(Required(args, 1, "a function"), Rate(args, 0.5))),
                // The next version published of the function fails: rehearse a deploy that the bot rolls back by itself.
                "bad-version" => Added(faults.BadNextVersion(Required(args, 1, "a function"), Rate(args, 0.5))),
                "throttle" => Added(faults.TableThrottles(Required(args, 1, "a table"), Rate(args, 0.2))),
                "api-errors" => Added(faults.ApiErrors(Required(args, 1, "an API"), Rate(args, 0.1))),
                "slow" => Added(faults.Latency(TimeSpan.FromMilliseconds(Milliseconds(Required(args, 2, "a delay in ms"))), Required(args, 1, "an operation or service"))),
                "fix" => Fix(args.Positional(1)),
                "incident" => SandboxPagerRehearsal.Incident(account, args, args.Flag("rate") is null ? null : Rate(args, 0)),
                "pager" => SandboxPagerRehearsal.Pager(account, args),
                // Rotations that start now stop at testSecret, as a rotation function that cannot sign in with the new secret.
                "rotation-fails" => Added(faults.RotationFailure(args.Positional(1))),
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
        var active = account.Faults.Active;
        if (active.Count == 0)
            return Line.Of(Emoji("test_tube"), " The sandbox account behaves (no faults). ", Template("/sb sandbox break <function>"), " starts a rehearsal.");
        var text = new LineBuilder(Emoji("test_tube"), " Sandbox faults in force:\n");
        foreach (var fault in active) text.AddLine("• ", Value(fault.Id), " ", Describe(fault));
        return text.Add(Code("/sb sandbox fix"), " ends them all.");
    }

    private static Line Added(Fault fault) =>
        Line.Of(Emoji("test_tube"), " Sandbox fault ", Value(fault.Id), ": ", Describe(fault), ". ", Code($"/sb sandbox fix {Value(fault.Id).Text}"), " ends it.");

    private Line Fix(string? id)
    {
        if (id is null)
        {
            account.Faults.ClearAll();
            return Line.Of(Emoji("test_tube"), " Every sandbox fault ended; metrics and logs recover from now on.");
        }
        return account.Faults.Clear(id)
            ? Line.Of(Emoji("test_tube"), " Sandbox fault ", Value(id), " ended.")
            : throw new UserFacingException(Line.Of("There is no active sandbox fault ", Value(id), ". ", Code("/sb sandbox status"), " lists them."));
    }

    private Line Drift(string role)
    {
        try
        {
            account.Iam.Drift(role);
        }
        catch (Bot.Sandbox.Protocols.AwsException e)
        {
            throw new UserFacingException(Line.Of(Echo(e.Message, 200), " ", Code("aws iam list-roles"), " against the sandbox lists them."));
        }
        return Line.Of(Emoji("test_tube"), " ", Value(role, 100), " drifted: an inline policy ", Code("temporary-debug-access"), " allows ", Code("dynamodb:*"),
            " on every table (and user-management's data policy has a new default version). ", Code("/sb access"), " shows it.");
    }

    private static Line Describe(Fault fault) => fault switch
    {
        RotationFailureFault r => Line.Of("rotations of ", r.Secret is null ? Line.Of("every secret") : Line.Of(Value(r.Secret, 100)), " fail at testSecret"),
        FunctionErrorFault f => Line.Of(Value(f.Function, 100), $" fails {f.Rate:P0} of invocations", f.Version is null ? null : Line.Of(" of version ", Echo(f.Version, 20))),
        TableThrottleFault t => Line.Of(Value(t.Table, 100), $" throttles {t.Rate:P0} of requests"),
        ApiErrorFault a => Line.Of(Value(a.Api, 100), $" answers {a.Rate:P0} of requests with 5xx"),
        LatencyFault l => Line.Of(l.Target is null ? Line.Of("every AWS call") : Line.Of(Value(l.Target, 100)), $" answers after {l.Delay.TotalMilliseconds:0} ms"),
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
