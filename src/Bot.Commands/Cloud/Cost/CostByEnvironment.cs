using System.Globalization;
using System.Text;
using Bot.Integrations.Aws.CostExplorer;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Cost;

/// <summary>One environment's cost: total, the previous period's, its services, and its days.</summary>
public sealed record EnvironmentCost(string Environment, decimal Total, decimal PreviousTotal, IReadOnlyList<(string Service, decimal Amount)> Services,
    IReadOnlyList<(DateOnly Day, decimal Amount)> Daily)
{
    public decimal? ChangePercent => PreviousTotal == 0 ? null : Math.Round((Total - PreviousTotal) / PreviousTotal * 100, 1);
}

/// <summary>
/// The procedures' "Cost Allocation" for SecureBase: cost by the <c>Environment</c> tag and, within each, by service
/// (<c>/sb cost --by environment</c>). Costs without the tag are their own line, so nothing goes missing.
/// </summary>
public static class CostByEnvironment
{
    public const string TagKey = "Environment";
    public const string Untagged = "(untagged)";
    public const int ServicesShown = 3;

    /// <summary>The two Cost Explorer questions: the period by tag and service, daily; the previous period by tag.</summary>
    public static (GetCostAndUsageRequest Current, GetCostAndUsageRequest Previous) Requests(CostPeriod period, CostFilter? filter) =>
    (
        new GetCostAndUsageRequest
        {
            TimePeriod = new DateInterval(CostPeriod.Iso(period.Start), CostPeriod.Iso(period.End)),
            Granularity = "DAILY",
            Metrics = [CostCommand.Metric],
            GroupBy = [new GroupDefinition("TAG", TagKey), new GroupDefinition("DIMENSION", "SERVICE")],
            Filter = filter,
        },
        new GetCostAndUsageRequest
        {
            TimePeriod = new DateInterval(CostPeriod.Iso(period.PreviousStart), CostPeriod.Iso(period.PreviousEnd)),
            Granularity = "MONTHLY",
            Metrics = [CostCommand.Metric],
            GroupBy = [new GroupDefinition("TAG", TagKey)],
            Filter = filter,
        });

    /// <summary>A tag group key as Cost Explorer writes it (<c>Environment$prod</c>; <c>Environment$</c> when untagged) to the environment.</summary>
    public static string EnvironmentOf(string key)
    {
        var value = key.StartsWith(TagKey + "$", StringComparison.Ordinal) ? key[(TagKey.Length + 1)..] : key;
        return value.Length == 0 ? Untagged : value;
    }

    public static IReadOnlyList<EnvironmentCost> From(GetCostAndUsageResponse current, GetCostAndUsageResponse previous)
    {
        var services = new Dictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
        var days = new Dictionary<string, Dictionary<DateOnly, decimal>>(StringComparer.Ordinal);
        foreach (var day in current.ResultsByTime)
        {
            DateOnly.TryParseExact(day.TimePeriod?.Start, "yyyy-MM-dd", out var date);
            foreach (var g in day.Groups)
            {
                if (!g.Metrics.TryGetValue(CostCommand.Metric, out var value)) continue;
                var env = EnvironmentOf(g.Keys.Count > 0 ? g.Keys[0] : "");
                var service = g.Keys.Count > 1 ? g.Keys[1] : "(none)";
                var perService = services.TryGetValue(env, out var s) ? s : services[env] = new Dictionary<string, decimal>(StringComparer.Ordinal);
                perService[service] = perService.GetValueOrDefault(service) + value.Value;
                var perDay = days.TryGetValue(env, out var d) ? d : days[env] = [];
                perDay[date] = perDay.GetValueOrDefault(date) + value.Value;
            }
        }
        var before = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var g in previous.ResultsByTime.SelectMany(r => r.Groups))
            if (g.Metrics.TryGetValue(CostCommand.Metric, out var value))
                before[EnvironmentOf(g.Keys.Count > 0 ? g.Keys[0] : "")] = before.GetValueOrDefault(EnvironmentOf(g.Keys.Count > 0 ? g.Keys[0] : "")) + value.Value;

        return services.Keys.Union(before.Keys)
            .Select(env => new EnvironmentCost(env,
                services.GetValueOrDefault(env)?.Values.Sum() ?? 0, before.GetValueOrDefault(env),
                (services.GetValueOrDefault(env) ?? []).OrderByDescending(s => s.Value).Select(s => (s.Key, s.Value)).ToList(),
                (days.GetValueOrDefault(env) ?? []).OrderBy(d => d.Key).Select(d => (d.Key, d.Value)).ToList()))
            .OrderBy(e => e.Environment == Untagged).ThenByDescending(e => e.Total).ToList();
    }

    public static ChatMessage Build(CostPeriod period, IReadOnlyList<EnvironmentCost> environments, bool estimated)
    {
        var total = environments.Sum(e => e.Total);
        var headline = Line.Of(Emoji("moneybag"), $" AWS cost by environment, {period.Label} ({CostPeriod.Iso(period.Start)} to {CostPeriod.Iso(period.End.AddDays(-1))}): ",
            Strong(CostMessages.Money(total, "USD")));
        var table = new StringBuilder();
        table.AppendLine($"{"environment",-14} {"cost",12} {"share",6} {"vs before",10}  top services");
        foreach (var e in environments)
        {
            var change = e.ChangePercent is { } c ? (c >= 0 ? "▲ " : "▼ ") + Math.Abs(c).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "new";
            var top = string.Join(", ", e.Services.Take(ServicesShown).Select(s => $"{PlainText.OneLine(s.Service)} {CostMessages.Money(s.Amount, "USD")}"));
            table.AppendLine($"{Cut(PlainText.OneLine(e.Environment), 14),-14} {CostMessages.Money(e.Total, "USD"),12} {Share(e.Total, total),6} {change,10}  {top}");
        }
        var text = table.ToString().TrimEnd();
        var footnote = (estimated ? "Figures for recent days are estimates. " : "") +
                       $"Unblended cost from Cost Explorer, grouped by the {TagKey} tag (the procedures' cost allocation) and by service; costs without the tag are {Untagged}.";
        return ChatMessage.InChannel(Line.Of(headline, "\n", text.Replace("```", "ˋˋˋ", StringComparison.Ordinal)),
            [new TextBlock(headline), new TextBlock(Line.Of(Preformatted(text))), new NoteBlock(footnote)]);
    }

    private static string Share(decimal part, decimal total) => total == 0 ? "–" : (part / total * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
