using System.Globalization;
using System.Text;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Cost;

/// <summary>The answer to <c>/sb cost</c>: a headline with the total and the change, the top groups as a table, and a footnote.</summary>
public static class CostMessages
{
    public const int TopGroups = 8;

    public static ChatMessage Build(CostSummary s)
    {
        var change = s.ChangePercent switch
        {
            null => "no spend in the previous period",
            > 0 => $"▲ {s.ChangePercent.Value.ToString("0.0", CultureInfo.InvariantCulture)}% vs previous period ({Money(s.PreviousTotal, s.Unit)})",
            < 0 => $"▼ {(-s.ChangePercent.Value).ToString("0.0", CultureInfo.InvariantCulture)}% vs previous period ({Money(s.PreviousTotal, s.Unit)})",
            _ => $"unchanged vs previous period ({Money(s.PreviousTotal, s.Unit)})",
        };
        var period = $", {s.Period.Label} ({CostPeriod.Iso(s.Period.Start)} to {CostPeriod.Iso(s.Period.End.AddDays(-1))}): ";
        var service = s.Service is null ? null : Value(s.Service, 100);
        var headline = Line.Of(Emoji("moneybag"), " AWS cost", service is null ? null : Line.Of(" for ", service), period, Strong(Money(s.Total, s.Unit)), $", {change}");
        // The text without bold: the service's name loses its asterisks too.
        var plainService = service?.Text.Replace("*", "", StringComparison.Ordinal);
        var plainHeadline = Line.Of(Emoji("moneybag"), " AWS cost", plainService is null ? null : Line.Of(" for ", plainService.Length == 0 ? Template("") : Code(plainService)),
            period, Money(s.Total, s.Unit), $", {change}");

        var table = new StringBuilder();
        var label = s.GroupBy == "SERVICE" ? "service" : "usage type";
        table.AppendLine($"{label,-44} {"cost",12} {"share",6}");
        // Group names are AWS's text: padded first, so the columns line up as shown.
        foreach (var (key, amount) in s.Groups.Take(TopGroups))
            table.AppendLine($"{Cut(PlainText.OneLine(key), 44),-44} {Money(amount, s.Unit),12} {Share(amount, s.Total),6}");
        if (s.Groups.Count > TopGroups)
        {
            var rest = s.Groups.Skip(TopGroups).Sum(g => g.Amount);
            table.AppendLine($"{$"{s.Groups.Count - TopGroups} others",-44} {Money(rest, s.Unit),12} {Share(rest, s.Total),6}");
        }

        var blocks = new List<MessageBlock> { new TextBlock(headline) };
        if (s.Groups.Count > 0) blocks.Add(new TextBlock(Line.Of(Preformatted(table.ToString().TrimEnd()))));
        var footnote = (s.Estimated ? "Figures for recent days are estimates. " : "") + "Unblended cost from Cost Explorer" + (s.Daily.Count > 0 ? "; a daily chart follows." : ".");
        blocks.Add(new NoteBlock(footnote));
        // In the text, a "```" in a group's name cannot open a code block either.
        return ChatMessage.InChannel(Line.Of(plainHeadline, "\n", table.ToString().Replace("```", "ˋˋˋ", StringComparison.Ordinal)), blocks);
    }

    public static string Money(decimal amount, string unit) =>
        unit == "USD" ? "$" + amount.ToString("N2", CultureInfo.InvariantCulture) : amount.ToString("N2", CultureInfo.InvariantCulture) + " " + unit;

    private static string Share(decimal part, decimal total) => total == 0 ? "–" : (part / total * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
