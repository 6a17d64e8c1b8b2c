using System.Globalization;
using Bot.Integrations.Aws.Logs;
using Bot.Commands.Redaction;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Logs;

/// <summary><c>/sb logs &lt;function&gt; [--since 1h] [--filter ERROR] [--env prod]</c>: newest matching lines, redacted.</summary>
public sealed class LogsCommand(ICloudWatchLogsClient logs, IOptions<SecureBaseOptions> options, TimeProvider time) : ICommandHandler
{
    public const int ShownLines = 20;
    public const int MaxScanned = 2000;
    private const int MaxLineLength = 300;
    private const int MaxBlockChars = 2700;
    private const int MaxFilterLength = 200;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "logs",
        Summary = "Newest log lines of a function (secrets and e-mail addresses masked).",
        Usage = "/sb logs <function> [--since 1h] [--filter ERROR] [--env prod]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("since", "How far back to look: 15m, 1h, 2d, 1w (default 1h).", ValueHint: "1h"),
            new FlagSpec("filter", "CloudWatch Logs filter pattern, e.g. ERROR or \"?ERROR ?Timeout\".", ValueHint: "PATTERN"),
            new FlagSpec("env", "Environment (default prod, or the one in the function's name).", ValueHint: "prod"),
        ],
        Examples = ["/sb logs securebase-prod-user-management --filter ERROR", "/sb logs user-management --since 15m --env staging"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var wanted = context.Arguments.Positional(0)
                     ?? throw new UsageException(Line.Of("Which function? Give its name, e.g. ", Code("securebase-prod-user-management"), " or ", Code("user-management"), "."));
        var since = context.Arguments.Since();
        var filter = context.Arguments.Flag("filter");
        if (filter is not null && (filter.Length > MaxFilterLength || filter.Any(char.IsControl)))
            throw new UsageException($"The filter pattern must be one line of at most {MaxFilterLength} characters.");

        var (env, function) = context.Arguments.Function(options.Value, wanted);
        var now = time.GetUtcNow();
        var group = env.LogGroupOf(function);

        var found = await AwsFailures.Guard(Line.Of("reading ", Code(group)), () => logs.FilterAllLogEventsAsync(new FilterLogEventsRequest
        {
            LogGroupName = group,
            StartTime = (now - since).ToUnixTimeMilliseconds(),
            EndTime = now.ToUnixTimeMilliseconds(),
            FilterPattern = string.IsNullOrWhiteSpace(filter) ? null : filter,
        }, MaxScanned, cancellationToken));

        await context.RespondAsync(Build(function, env.Name, since, filter, found), cancellationToken);
    }

    internal static ChatMessage Build(string function, string env, TimeSpan since, string? filter, LogSearchResult found)
    {
        var what = Line.Of(Code(function), $" ({env}), last {DurationParser.Format(since)}", string.IsNullOrWhiteSpace(filter) ? null : Line.Of(", filter ", Value(filter, 100)));
        if (found.Events.Count == 0)
            return ChatMessage.InChannel(Line.Of("No log lines matched in ", what, "."), [new TextBlock(Line.Of(Emoji("white_check_mark"), " No log lines matched in ", what, "."))]);

        var newest = found.Events.OrderByDescending(e => e.Timestamp).Take(ShownLines).ToList();
        var lines = new List<string>();
        var used = 0;
        foreach (var e in newest)
        {
            var message = Redactor.Redact(e.Message).ReplaceLineEndings(" ⏎ ").Trim();
            if (message.Length > MaxLineLength) message = message[..MaxLineLength] + "…";
            // Lambda lines begin with their own ISO timestamp; others get the event's. Log text is untrusted: it goes in as text.
            var line = (StartsWithTimestamp(message) ? message : $"{e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} {message}")
                .Replace("```", "ˋˋˋ", StringComparison.Ordinal);
            // The block's budget is Slack's (a section holds 3,000 characters), counted as Slack counts: escaped.
            var size = SlackMrkdwn.CodeBlock(line).Length;
            if (used + size + 1 > MaxBlockChars) break;
            lines.Add(line);
            used += size + 1;
        }
        lines.Reverse(); // oldest of the shown first, newest at the bottom, as in a terminal

        var more = found.Events.Count - lines.Count;
        var moreText = more <= 0 ? "" : found.Truncated ? $"…and more than {more} other matching lines." : $"…and {more} more matching line{(more == 1 ? "" : "s")}.";
        var header = Line.Of($"Newest {lines.Count} of {(found.Truncated ? "more than " : "")}{found.Events.Count} matching lines in ", what);
        var blocks = new List<MessageBlock>
        {
            new TextBlock(Line.Of(Emoji("scroll"), " ", header)),
            new TextBlock(Line.Of(Preformatted(string.Join('\n', lines)))),
        };
        if (moreText.Length > 0) blocks.Add(new NoteBlock(Line.Of(moreText + " Narrow with ", Code("--since"), " or ", Code("--filter"), ".")));
        var text = Line.Of(header, "\n", string.Join('\n', lines), moreText.Length > 0 ? "\n" + moreText : null);
        return ChatMessage.InChannel(text, blocks);
    }

    private static bool StartsWithTimestamp(string line) =>
        line.Length >= 20 && DateTimeOffset.TryParse(line[..Math.Min(24, line.Length)].Split(' ', '\t')[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

}
