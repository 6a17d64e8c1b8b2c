using System.Globalization;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Alarms;

/// <summary><c>/sb alarms [env]</c>: the environment's CloudWatch alarms, those in ALARM first.</summary>
public sealed class AlarmsCommand(ICloudWatchClient cloudWatch, IOptions<SecureBaseOptions> options, TimeProvider time) : ICommandHandler
{
    private const int MaxListed = 15;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "alarms",
        Summary = "CloudWatch alarms of an environment, firing ones first.",
        Usage = "/sb alarms [env]",
        MaxPositionals = 1,
        Examples = ["/sb alarms", "/sb alarms staging"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var env = context.Arguments.Environment(options.Value);
        var response = await AwsFailures.Guard("listing alarms",
            () => cloudWatch.DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNamePrefix = env.AlarmPrefix }, cancellationToken));
        await context.RespondAsync(Build(env.Name, response, time.GetUtcNow()), cancellationToken);
    }

    internal static ChatMessage Build(string env, DescribeAlarmsResponse response, DateTimeOffset now)
    {
        var alarms = response.MetricAlarms.Select(a => (Name: a.AlarmName ?? "?", State: a.StateValue ?? "?", a.StateReason, Since: a.StateUpdatedTimestamp, Kind: ""))
            .Concat(response.CompositeAlarms.Select(a => (Name: a.AlarmName ?? "?", State: a.StateValue ?? "?", StateReason: a.StateReasonByName, Since: a.StateUpdatedTimestamp, Kind: " (composite)")))
            .ToList();
        var firing = alarms.Where(a => a.State == "ALARM").OrderByDescending(a => a.Since).ToList();
        var insufficient = alarms.Where(a => a.State == "INSUFFICIENT_DATA").OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        var ok = alarms.Count(a => a.State == "OK");

        var summary = alarms.Count == 0
            ? $"No alarms found for {env}."
            : firing.Count == 0
                ? $"✅ {env}: no alarms in ALARM ({ok} OK, {insufficient.Count} with insufficient data)"
                : $"🔴 {env}: {firing.Count} alarm{(firing.Count == 1 ? "" : "s")} in ALARM ({ok} OK, {insufficient.Count} with insufficient data)";

        var blocks = new List<MessageBlock> { new TextBlock(Line.Of(Strong(summary))) };
        var text = new LineBuilder(summary);
        if (firing.Count > 0)
        {
            var lines = firing.Take(MaxListed).Select(a => Line.Of("🔴 ", Value(a.Name, 120), a.Kind,
                $" since {a.Since.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({Ago(now - a.Since)}): ", AwsFailures.Trim(a.StateReason, 200)));
            var body = Line.Of(Line.Join("\n", lines), firing.Count > MaxListed ? $"\n…and {firing.Count - MaxListed} more." : null);
            blocks.Add(new TextBlock(body));
            text.Add("\n", body);
        }
        if (insufficient.Count > 0)
        {
            var names = Line.Of(Line.Join(", ", insufficient.Take(MaxListed).Select(a => Line.Of(Value(a.Name, 120)))),
                insufficient.Count > MaxListed ? $" and {insufficient.Count - MaxListed} more" : null);
            blocks.Add(new NoteBlock(Line.Of("⚪ Insufficient data: ", names)));
            text.Add("\nInsufficient data: ", names);
        }
        return ChatMessage.InChannel(text, blocks);
    }

    private static string Ago(TimeSpan span) => span < TimeSpan.FromMinutes(1) ? "just now" : DurationParser.Format(
        span.TotalDays >= 2 ? TimeSpan.FromDays(Math.Floor(span.TotalDays)) : span.TotalHours >= 2 ? TimeSpan.FromHours(Math.Floor(span.TotalHours)) : TimeSpan.FromMinutes(Math.Floor(span.TotalMinutes))) + " ago";
}
