using System.Globalization;
using System.Text;
using Bot.Integrations.Aws.Logs;
using Bot.Commands.Redaction;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;
using Microsoft.Extensions.Options;

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
                     ?? throw new UsageException("Which function? Give its name, e.g. `securebase-prod-user-management` or `user-management`.");
        var since = DurationParser.Parse(context.Arguments.Flag("since"), TimeSpan.FromHours(1));
        var filter = context.Arguments.Flag("filter");
        if (filter is not null && (filter.Length > MaxFilterLength || filter.Any(char.IsControl)))
            throw new UsageException($"The filter pattern must be one line of at most {MaxFilterLength} characters.");

        var (env, function) = FunctionResolver.Resolve(options.Value, wanted, context.Arguments.Flag("env"));
        var now = time.GetUtcNow();
        var group = env.LogGroupOf(function);

        var found = await AwsFailures.Guard($"reading `{group}`", () => logs.FilterAllLogEventsAsync(new FilterLogEventsRequest
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
        var what = $"`{function}` ({env}), last {DurationParser.Format(since)}" + (string.IsNullOrWhiteSpace(filter) ? "" : $", filter {SlackText.Code(filter, 100)}");
        if (found.Events.Count == 0)
            return new ChatMessage { Text = $"No log lines matched in {what}.", Blocks = [SectionBlock.Markdown($":white_check_mark: No log lines matched in {what}.")], Ephemeral = false };

        var newest = found.Events.OrderByDescending(e => e.Timestamp).Take(ShownLines).ToList();
        var lines = new List<string>();
        var used = 0;
        foreach (var e in newest)
        {
            var message = Redactor.Redact(e.Message).ReplaceLineEndings(" ⏎ ").Trim();
            if (message.Length > MaxLineLength) message = message[..MaxLineLength] + "…";
            // Lambda lines begin with their own ISO timestamp; others get the event's. Log text is untrusted: escaped.
            var line = SlackText.InCodeBlock(StartsWithTimestamp(message) ? message : $"{e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} {message}");
            if (used + line.Length + 1 > MaxBlockChars) break;
            lines.Add(line);
            used += line.Length + 1;
        }
        lines.Reverse(); // oldest of the shown first, newest at the bottom, as in a terminal

        var more = found.Events.Count - lines.Count;
        var moreText = more <= 0 ? "" : found.Truncated ? $"…and more than {more} other matching lines." : $"…and {more} more matching line{(more == 1 ? "" : "s")}.";
        var header = $"Newest {lines.Count} of {(found.Truncated ? "more than " : "")}{found.Events.Count} matching lines in {what}";
        var blocks = new List<Block>
        {
            SectionBlock.Markdown($":scroll: {header}"),
            SectionBlock.Markdown("```\n" + string.Join('\n', lines) + "\n```"),
        };
        if (moreText.Length > 0) blocks.Add(ContextBlock.Markdown(moreText + " Narrow with `--since` or `--filter`."));
        var text = new StringBuilder(header).Append('\n').AppendJoin('\n', lines);
        if (moreText.Length > 0) text.Append('\n').Append(moreText);
        return new ChatMessage { Text = text.ToString(), Blocks = blocks, Ephemeral = false };
    }

    private static bool StartsWithTimestamp(string line) =>
        line.Length >= 20 && DateTimeOffset.TryParse(line[..Math.Min(24, line.Length)].Split(' ', '\t')[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

}
