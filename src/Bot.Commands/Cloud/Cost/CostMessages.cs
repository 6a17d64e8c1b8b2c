using System.Globalization;
using System.Text;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Commands.Cloud.Cost;

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
        var scope = s.Service is null ? "" : $" for {SlackText.Code(s.Service, 100)}";
        var headline = $":moneybag: AWS cost{scope}, {s.Period.Label} ({CostPeriod.Iso(s.Period.Start)} to {CostPeriod.Iso(s.Period.End.AddDays(-1))}): *{Money(s.Total, s.Unit)}*, {change}";

        var table = new StringBuilder();
        var label = s.GroupBy == "SERVICE" ? "service" : "usage type";
        table.AppendLine($"{label,-44} {"cost",12} {"share",6}");
        // Group names are AWS's text: padded first (so the columns line up as shown), then escaped.
        foreach (var (key, amount) in s.Groups.Take(TopGroups))
            table.AppendLine(SlackText.InCodeBlock($"{Cut(SlackText.OneLine(key), 44),-44} {Money(amount, s.Unit),12} {Share(amount, s.Total),6}"));
        if (s.Groups.Count > TopGroups)
        {
            var rest = s.Groups.Skip(TopGroups).Sum(g => g.Amount);
            table.AppendLine($"{$"{s.Groups.Count - TopGroups} others",-44} {Money(rest, s.Unit),12} {Share(rest, s.Total),6}");
        }

        var blocks = new List<Block> { SectionBlock.Markdown(headline) };
        if (s.Groups.Count > 0) blocks.Add(SectionBlock.Markdown("```\n" + table.ToString().TrimEnd() + "\n```"));
        var footnote = (s.Estimated ? "Figures for recent days are estimates. " : "") + "Unblended cost from Cost Explorer" + (s.Daily.Count > 0 ? "; a daily chart follows." : ".");
        blocks.Add(ContextBlock.Markdown(footnote));
        return new ChatMessage { Text = headline.Replace("*", "", StringComparison.Ordinal) + "\n" + table, Blocks = blocks, Ephemeral = false };
    }

    public static string Money(decimal amount, string unit) =>
        unit == "USD" ? "$" + amount.ToString("N2", CultureInfo.InvariantCulture) : amount.ToString("N2", CultureInfo.InvariantCulture) + " " + unit;

    private static string Share(decimal part, decimal total) => total == 0 ? "–" : (part / total * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
