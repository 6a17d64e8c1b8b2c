using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Commands.Access;
using Bot.Commands.Routing;
using Bot.Workflows.Roles;
using Bot.Workflows.Audit;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Audit;

/// <summary>
/// <c>/sb audit [--since 7d] [--user @x]</c> lists the trail, <c>/sb audit export --since 30d</c> uploads it
/// as CSV (the compliance report of the ops guide), <c>/sb audit verify</c> re-checks the hash chain from the last signed
/// checkpoint (<c>--full</c>: from the first record).
/// </summary>
public sealed partial class AuditCommand(IAuditLog audit, RoleGate roles, TimeProvider time) : ICommandHandler
{
    public const int ListLimit = 30;
    public static readonly TimeSpan DefaultListWindow = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultExportWindow = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(400);

    public CommandSpec Spec { get; } = new()
    {
        Verb = "audit",
        Summary = "Show, export or verify the audit trail (who did what, when).",
        Usage = "/sb audit [export|verify] [--since 7d] [--user @someone] [--full]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("since", "How far back: e.g. 24h, 7d, 2w (list default 7d, export default 30d).", ValueHint: "duration"),
            new FlagSpec("user", "Only records by this person.", ValueHint: "@user"),
            new FlagSpec("full", "verify: every record from the first, not only those since the last signed checkpoint.", TakesValue: false),
        ],
        Examples = ["/sb audit", "/sb audit --since 24h --user @ana", "/sb audit export --since 30d", "/sb audit verify", "/sb audit verify --full"],
    };

    /// <summary>Who may read the trail (listing and export); anyone may verify the chain.</summary>
    public static readonly IReadOnlyList<string> Readers = [Role.Admin, Role.OpsManager];

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        switch (context.Arguments.Positional(0)?.ToLowerInvariant())
        {
            case null or "list":
                await roles.RequireAnyAsync(context.Request, Readers, "read the audit trail", cancellationToken);
                await ListAsync(context, cancellationToken);
                break;
            case "export":
                await roles.RequireAnyAsync(context.Request, Readers, "export the audit trail", cancellationToken);
                await ExportAsync(context, cancellationToken);
                break;
            case "verify":
                await VerifyAsync(context, cancellationToken);
                break;
            case var other:
                throw new UsageException(Line.Of(Value(other, 30), " is not an audit action; use ", Code("export"), " or ", Code("verify"), ", or nothing to list."));
        }
    }

    private async Task ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - ParseWindow(context.Arguments.Flag("since"), DefaultListWindow);
        var user = ParseUser(context.Arguments.Flag("user"));
        var records = await audit.ListAsync(new AuditQuery(since, user, ListLimit), cancellationToken);
        if (records.Count == 0)
        {
            await context.RespondEphemeralAsync($"No audit records since {Stamp(since)}{(user is null ? "" : $" by {user}")}.", cancellationToken);
            return;
        }
        // Names, verbs and arguments in the trail were typed by people: in text spans, which every transport escapes.
        await context.RespondEphemeralAsync(Line.Of(
            string.Create(CultureInfo.InvariantCulture, $"Audit trail since {Stamp(since)}{(user is null ? "" : $" by {user}")} (newest first, at most {ListLimit}):\n"),
            Preformatted(string.Join('\n', records.Select(Summary))), "\n",
            Code("/sb audit verify"), " re-checks the hash chain; ", Code("/sb audit export"), " uploads a CSV."), cancellationToken);
    }

    private async Task ExportAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - ParseWindow(context.Arguments.Flag("since"), DefaultExportWindow);
        var user = ParseUser(context.Arguments.Flag("user"));
        var records = await audit.ListAsync(new AuditQuery(since, user, int.MaxValue), cancellationToken);
        var csv = AuditCsv.Write(records.OrderBy(r => r.Sequence));
        var day = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await context.Reply.UploadFileAsync(
            new ChatFile($"audit-{day}.csv", $"Audit log since {Stamp(since)}", Encoding.UTF8.GetBytes(csv),
                Line.Of($"Audit export: {records.Count} record(s) since {Stamp(since)}{(user is null ? "" : $" by {user}")}, requested by ", context.User.Mention, ".")),
            null, cancellationToken);
    }

    private async Task VerifyAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var result = await audit.VerifyAsync(cancellationToken, full: context.Arguments.Has("full"));
        var text = result.Intact
            ? Line.Of(Emoji("white_check_mark"), " Audit chain intact: ", Checked(result),
                result.HeadHash is null ? null : Line.Of(", head hash ", Code($"{result.HeadHash[..16]}…")), ".",
                result.Note is null ? null : " " + result.Note)
            : Line.Of(Emoji("x"), $" Audit chain broken at record #{result.BrokenAt}: {result.Problem}. {result.CheckedRecords} record(s) checked before it. " +
                $"Treat the records from #{result.BrokenAt} on as untrustworthy and tell whoever runs the bot.");
        await context.RespondEphemeralAsync(text, cancellationToken);
    }

    /// <summary>Which records this check read: all of them, or those since the signed checkpoint it started at.</summary>
    private static Line Checked(AuditVerification result) => result.From is { } from
        ? Line.Of($"{result.HeadSequence} record(s); records #{from.Sequence}–#{result.HeadSequence} checked now, from the checkpoint signed {Stamp(from.At)} (",
            Code("/sb audit verify --full"), " checks every record)")
        : Line.Of($"{result.CheckedRecords} record(s), every one checked");

    /// <summary>One record in a line: its number, when, who, what, on which aggregate, and the request.</summary>
    internal static string Summary(AuditRecord r)
    {
        var target = r.AggregateType is null ? "" : $" {r.AggregateType}/{r.AggregateId}";
        var change = r.Before is null && r.After is null ? "" : $" {r.Before} → {r.After}";
        var request = r.RequestId is null ? "" : $" (req {Truncate(r.RequestId, 12)})";
        return $"#{r.Sequence} {Stamp(r.At)} @{r.ActorName} {r.Action}{target}{change}{request}";
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>Parses <c>30m</c>, <c>24h</c>, <c>7d</c>, <c>2w</c>.</summary>
    internal static TimeSpan ParseWindow(string? value, TimeSpan fallback)
    {
        if (value is null) return fallback;
        var m = WindowPattern().Match(value.Trim());
        if (!m.Success || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new UsageException(Line.Of(Code($"--since {Value(value, 20).Text}"), " is not a duration; use e.g. ", Code("24h"), ", ", Code("7d"), " or ", Code("2w"), "."));
        var window = char.ToLowerInvariant(m.Groups[2].Value[0]) switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7.0 * n),
        };
        if (window > MaxWindow) throw new UsageException(Line.Of(Code("--since"), $" can reach back at most {MaxWindow.TotalDays:0} days."));
        return window;
    }

    /// <summary>Accepts <c>&lt;@U123|ana&gt;</c>, <c>&lt;@U123&gt;</c>, <c>@ana</c> or <c>ana</c>; returns a user id or name.</summary>
    internal static string? ParseUser(string? value)
    {
        if (value is null) return null;
        var m = SlackMention().Match(value.Trim());
        if (m.Success) return m.Groups[1].Value;
        var name = value.Trim().TrimStart('@');
        if (!UserName().IsMatch(name)) throw new UsageException(Line.Of(Code("--user"), " takes a person, e.g. ", Code("@ana"), "."));
        return name;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    [GeneratedRegex(@"^(\d{1,4})([mhdwMHDW])$")]
    private static partial Regex WindowPattern();

    [GeneratedRegex(@"^<@([UW][A-Z0-9]{2,20})(\|[^>]*)?>$")]
    private static partial Regex SlackMention();

    [GeneratedRegex(@"^[\p{L}\p{N}._-]{1,80}$")]
    private static partial Regex UserName();
}
