using System.Globalization;
using Bot.Commands.Redaction;
using Bot.Commands.Security.Feed;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.Logins;

/// <summary>
/// The answer to <c>/sb security logins</c>: the count against the previous week, the class, the bursts, the top users,
/// addresses (masked to their /24) and customers, how the feed was read, and <i>Page</i> above the threshold.
/// </summary>
public static class FailedLoginMessages
{
    public static ChatMessage Build(string environment, string since, FailedLoginReport r, FeedReadResult read, FailedLoginOptions options)
    {
        var change = r.PreviousWeekTotal == 0 ? "none the same hours a week earlier"
            : $"{(r.Total >= r.PreviousWeekTotal ? "▲" : "▼")} {Math.Abs(r.Total - r.PreviousWeekTotal)} against {r.PreviousWeekTotal} the same hours a week earlier";
        var icon = r.Class >= IncidentClass.Medium ? "rotating_light" : r.Total > 0 ? "lock" : "white_check_mark";
        var headline = Line.Of(Emoji(icon), " ", Strong($"{r.Total} failed login(s)"), $" in {environment}, last {since} ({change}); at most {r.MostInAnHour} within an hour. ",
            Strong(ClassText(r)));
        var lines = new List<Line>();
        foreach (var b in r.Bursts.Take(FailedLoginReport.Top))
            lines.Add(Line.Of(Emoji("warning"), " ", Code(AddressMask.Ip(b.Address)), $": {b.InOneHour} failed logins within an hour ({Clock(b.From)}–{Clock(b.To)} UTC), {b.Kind}",
                b.OnlyCustomer is { } customer ? Line.Of(" of ", Code(customer)) : Line.Of($" of {b.Customers} customers"), $"; {b.Total} in the window"));
        if (r.Total > 0)
        {
            lines.Add(Line.Of(Strong("Top users: "), Top(r.TopUsers, k => k)));
            lines.Add(Line.Of(Strong("Top networks (/24): "), Top(r.TopAddresses, k => k)));
            lines.Add(Line.Of(Strong("Top customers: "), Top(r.TopCustomers, k => k)));
        }
        if (r.Spikes.Count > 0)
            lines.Add(Line.Of(Strong("Spikes: "), string.Join(", ", r.Spikes.Take(8).Select(i => $"{Clock(r.Hours[i])} ({r.Hourly[i]} vs {r.PreviousWeekHourly[i]})")),
                r.Spikes.Count > 8 ? $" and {r.Spikes.Count - 8} more" : "", " — hours with at least ", $"{FailedLoginReport.SpikeAtLeast}", " and three times the week before"));

        var blocks = new List<MessageBlock> { new TextBlock(headline), new LinesBlock(lines), new NoteBlock(HowRead(read, options)) };
        if (r.ShouldPage(options))
        {
            var worst = r.Bursts.Count > 0 ? r.Bursts[0] : null;
            var summary = $"SecureBase {environment}: {r.MostInAnHour} failed logins within one hour" +
                          (worst is null ? "" : $", {worst.InOneHour} from {AddressMask.Ip(worst.Address)} ({worst.Kind})") + $" — {ClassText(r)}";
            blocks.Add(new CardBlock(new Card
            {
                Title = $"Failed logins above {options.PageAbove} in an hour",
                Tone = CardTone.Warning,
                Status = Line.Of($"{r.MostInAnHour} came within one hour (Security__FailedLogins__PageAbove is {options.PageAbove}). Page the on-call?"),
                Buttons = [CardButton.RunsCommand("Page", $"page {options.PageService} \"{summary}\" --severity warning", ButtonStyle.Danger,
                    confirm: $"Page {options.PageService} about {r.MostInAnHour} failed logins within one hour?")],
            }));
        }
        var text = Line.Of(headline, "\n", Line.Join("\n", lines));
        return ChatMessage.InChannel(text, blocks);
    }

    /// <summary>The procedures' classification in words.</summary>
    public static string ClassText(FailedLoginReport r) => r.Class switch
    {
        IncidentClass.Medium => "Medium: suspicious activity (many failed logins from one address)",
        _ => r.Total == 0 ? "Nothing to classify" : "Low: failed login attempts",
    };

    private static Line HowRead(FeedReadResult read, FailedLoginOptions options) => read.UsedIndex
        ? Line.Of("Read with a Query on ", Code(read.Index!), $": {read.Scanned:N0} item(s) in {read.Pages} page(s)",
            read.Capped ? Line.Of("; stopped at the cap of ", $"{options.MaxScannedItems:N0}", " items (", Code("Security__FailedLogins__MaxScannedItems"), "): the counts are partial") : null,
            ". Addresses show their /24; a chart of the hours against the week before follows in the thread.")
        : Line.Of("The feed has no index on ", Code("action"), $": read by Scan, {read.Scanned:N0} of about {read.ApproximateTotal:N0} item(s) in {read.Pages} page(s)",
            read.Capped ? Line.Of("; ", Strong("stopped at the cap"), $" of {options.MaxScannedItems:N0} items (", Code("Security__FailedLogins__MaxScannedItems"), "): the counts are partial") : null,
            ". Addresses show their /24; a chart follows in the thread.");

    private static Line Top(IReadOnlyList<(string Key, int Count)> top, Func<string, string> show) =>
        Line.Join(", ", top.Select(t => Line.Of(Code(show(t.Key)), $" ×{t.Count}")));

    internal static string Clock(DateTimeOffset t) => t.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);
}
