using System.Globalization;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Options;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// <c>/sb concurrency &lt;function&gt; &lt;n|none&gt; [--provisioned]</c>: a change of the function's reserved concurrency, or
/// of provisioned concurrency on its <c>PROD</c> alias (the ops guide's throttling and cold-start remedies).
/// </summary>
public sealed class ConcurrencyCommand(ICloud cloud, ChangeRequester requester, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public const int Max = 10_000;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "concurrency",
        Summary = "Request a concurrency change: reserved concurrency of a function, or provisioned concurrency on its PROD alias.",
        Usage = "/sb concurrency <function> <n|none> [--provisioned] [--env prod|staging] [--reason \"…\"] [--category …]",
        MaxPositionals = 2,
        Flags = [new FlagSpec("provisioned", "Provisioned concurrency on the PROD alias instead of reserved concurrency.", TakesValue: false), .. ChangeFlags.All],
        Examples = ["/sb concurrency report-engine 50 --reason \"throttling during month-end reports\"", "/sb concurrency user-management 10 --provisioned --reason \"cold starts at 9:00\"", "/sb concurrency report-engine none"],
        ChangesState = true,
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) => requester.AuditedAsync(context, async () =>
    {
        var args = context.Arguments;
        var target = ChangeTarget.Resolve(options.Value, args.Positional(0), args.Flag("env"));
        var value = ParseValue(args.Positional(1));
        var provisioned = args.Has("provisioned");
        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);

        var current = provisioned
            ? await ChangeReads.ReadAsync(Line.Of("the provisioned concurrency of ", Code(target.Function)), () => cloud.GetProvisionedConcurrencyAsync(target.Function, ChangeTarget.Alias, cancellationToken))
            : await ChangeReads.ReadAsync(Line.Of("the reserved concurrency of ", Code(target.Function)), () => cloud.GetReservedConcurrencyAsync(target.Function, cancellationToken));
        if (current == value) throw new UserFacingException(Line.Of(Emoji("information_source"), $" It is already {Show(value)}; nothing to change."));

        data.Spec = new ChangeSpec
        {
            Kind = provisioned ? ChangeKind.ProvisionedConcurrency : ChangeKind.ReservedConcurrency,
            Environment = target.Environment,
            Function = target.Function,
            Alias = ChangeTarget.Alias,
            ConcurrencyFrom = current,
            ConcurrencyTo = value,
        };
        await requester.SubmitAsync(context, data, cancellationToken);
    }, cancellationToken);

    internal static int? ParseValue(string? text)
    {
        if (text is null) throw new UsageException(Line.Of("How much? A number, or ", Code("none"), " to remove it."));
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > Max)
            throw new UsageException(Line.Of($"Concurrency is a whole number from 0 to {Max}, or ", Code("none"), "."));
        return n;
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
