using System.Globalization;
using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.Costs;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// Cost Explorer (AWS JSON 1.1, <c>AWSInsightsIndexService</c>): GetCostAndUsage with DAILY or MONTHLY
/// granularity, cost and usage metrics, GroupBy DIMENSION (SERVICE, USAGE_TYPE, REGION, LINKED_ACCOUNT,
/// RECORD_TYPE) or TAG (Environment), and Dimensions/Tags filters combined with And/Or/Not; and GetCostForecast.
/// </summary>
internal sealed partial class CostExplorerService(SandboxAccount account) : IJsonService
{
    private static readonly HashSet<string> CostMetrics = ["BlendedCost", "UnblendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost"];
    private static readonly HashSet<string> UsageMetrics = ["UsageQuantity", "NormalizedUsageAmount"];
    private static readonly HashSet<string> Dimensions = ["SERVICE", "USAGE_TYPE", "REGION", "LINKED_ACCOUNT", "RECORD_TYPE"];

    public string TargetPrefix => "AWSInsightsIndexService";
    public string SigningName => "ce";
    public WireProtocol Protocol => WireProtocol.Json11;
    public string ErrorNamespace => "";
    public string ValidationCode => "ValidationException";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    public bool Supports(string operation) => operation is "GetCostAndUsage" or "GetCostForecast";

    public object Invoke(string operation, JsonInput input)
    {
        if (operation == "GetCostForecast") return GetCostForecast(input);
        var period = input.Object("TimePeriod") ?? throw input.Invalid("1 validation error detected: Value null at 'timePeriod' failed to satisfy constraint: Member must not be null");
        var start = Date(period, "Start");
        var end = Date(period, "End");
        if (end <= start) throw new AwsException("ValidationException", "Start date (inclusive) must be before the end date (exclusive).");
        if (end.DayNumber - start.DayNumber > 428)
            throw new AwsException("DataUnavailableException", "Cost data is available for the last 14 months only.");
        var granularity = input.String("Granularity") ?? throw input.Invalid("1 validation error detected: Value null at 'granularity' failed to satisfy constraint: Member must not be null");
        if (granularity == "HOURLY")
            throw new AwsException("ValidationException", "Hourly granularity is not enabled for this account.");
        if (granularity is not ("DAILY" or "MONTHLY"))
            throw input.Invalid($"1 validation error detected: Value '{granularity}' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [DAILY, MONTHLY, HOURLY]");
        var metrics = input.Strings("Metrics");
        if (metrics.Count == 0) throw input.Invalid("Metrics must not be empty.");
        foreach (var m in metrics)
            if (!CostMetrics.Contains(m) && !UsageMetrics.Contains(m))
                throw new AwsException("ValidationException", $"Invalid metric: {m}. Valid metrics are AmortizedCost, BlendedCost, NetAmortizedCost, NetUnblendedCost, NormalizedUsageAmount, UnblendedCost, and UsageQuantity.");
        if (input.String("NextPageToken") is not null)
            throw new AwsException("InvalidNextTokenException", "The NextPageToken is not valid.");

        var groupBy = input.Objects("GroupBy").Select(g =>
        {
            var type = g.String("Type") ?? throw input.Invalid("GroupBy Type must be given.");
            var key = g.String("Key") ?? throw input.Invalid("GroupBy Key must be given.");
            if (type is not ("DIMENSION" or "TAG"))
                throw new AwsException("ValidationException", $"Group Definition type {type} is not supported by the sandbox (use DIMENSION or TAG).");
            if (type == "DIMENSION" && !Dimensions.Contains(key))
                throw new AwsException("ValidationException", $"Group Definition dimension is invalid. Valid values are {string.Join(", ", Dimensions.Order())}.");
            return (Type: type, Key: key);
        }).ToList();
        if (groupBy.Count > 2) throw new AwsException("ValidationException", "You can group by at most two dimensions or tags.");
        if (groupBy.Select(g => g.Key).Distinct().Count() != groupBy.Count)
            throw new AwsException("ValidationException", "Group by keys must be unique.");
        var filter = input.Object("Filter") is { } f ? ReadFilter(f) : _ => true;

        var today = account.Costs.Today;
        var results = new List<object>();
        foreach (var (from, to) in Periods(start, end, granularity))
        {
            var lines = new List<CostLine>();
            for (var d = from; d < to; d = d.AddDays(1))
                lines.AddRange(account.Costs.Day(d).Where(filter));
            var estimated = to > today.AddDays(-1);
            if (groupBy.Count == 0)
            {
                results.Add(new
                {
                    TimePeriod = new { Start = Text(from), End = Text(to) },
                    Total = MetricValues(lines, metrics),
                    Groups = Array.Empty<object>(),
                    Estimated = estimated,
                });
                continue;
            }
            var groups = lines
                .GroupBy(l => string.Join("\u0001", groupBy.Select(g => KeyOf(l, g.Type, g.Key))))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new
                {
                    Keys = g.Key.Split('\u0001'),
                    Metrics = MetricValues(g.ToList(), metrics),
                })
                .ToList();
            results.Add(new
            {
                TimePeriod = new { Start = Text(from), End = Text(to) },
                Total = new Dictionary<string, object>(),
                Groups = groups,
                Estimated = estimated,
            });
        }

        return new
        {
            GroupDefinitions = groupBy.Count == 0 ? null : groupBy.Select(g => new { g.Type, g.Key }).ToList(),
            ResultsByTime = results,
            DimensionValueAttributes = Array.Empty<object>(),
        };
    }

    private Dictionary<string, object> MetricValues(IReadOnlyCollection<CostLine> lines, IReadOnlyList<string> metrics)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            var usage = UsageMetrics.Contains(m);
            var amount = usage ? lines.Sum(l => l.Quantity) : lines.Sum(l => l.Cost);
            result[m] = new
            {
                Amount = amount.ToString("0.##########", CultureInfo.InvariantCulture),
                Unit = usage ? "N/A" : "USD",
            };
        }
        return result;
    }

    private string KeyOf(CostLine line, string type, string key) => type == "TAG"
        ? key == "Environment" ? $"Environment${line.Environment}" : $"{key}$"
        : key switch
        {
            "SERVICE" => line.Service,
            "USAGE_TYPE" => line.UsageType,
            "REGION" => line.UsageType.StartsWith("USE1", StringComparison.Ordinal) || line.UsageType.StartsWith("us-east-1", StringComparison.Ordinal) ? "us-east-1" : "global",
            "LINKED_ACCOUNT" => account.Options.AccountId,
            _ => "Usage",
        };

    private Func<CostLine, bool> ReadFilter(JsonInput expression)
    {
        var parts = new List<Func<CostLine, bool>>();
        foreach (var and in expression.Objects("And")) parts.Add(ReadFilter(and));
        var ors = expression.Objects("Or").Select(ReadFilter).ToList();
        if (ors.Count > 0) parts.Add(l => ors.Any(o => o(l)));
        if (expression.Object("Not") is { } not)
        {
            var inner = ReadFilter(not);
            parts.Add(l => !inner(l));
        }
        if (expression.Object("Dimensions") is { } dims)
        {
            var key = dims.String("Key") ?? throw new AwsException("ValidationException", "Dimensions filter needs a Key.");
            if (!Dimensions.Contains(key))
                throw new AwsException("ValidationException", $"Dimension {key} is not supported by the sandbox; use one of {string.Join(", ", Dimensions.Order())}.");
            var values = dims.Strings("Values").ToHashSet(StringComparer.Ordinal);
            parts.Add(l => values.Contains(KeyOf(l, "DIMENSION", key)));
        }
        if (expression.Object("Tags") is { } tags)
        {
            var key = tags.String("Key") ?? throw new AwsException("ValidationException", "Tags filter needs a Key.");
            var values = tags.Strings("Values").ToHashSet(StringComparer.Ordinal);
            var absent = tags.Strings("MatchOptions").Contains("ABSENT");
            parts.Add(l => key == "Environment"
                ? (l.Environment.Length == 0 ? absent || values.Contains("") : values.Contains(l.Environment))
                : absent);
        }
        if (expression.Has("CostCategories"))
            throw new AwsException("ValidationException", "The sandbox account has no cost categories.");
        if (parts.Count != 1)
            throw new AwsException("ValidationException", "An expression must have exactly one of And, Or, Not, Dimensions, Tags or CostCategories.");
        return parts[0];
    }

    private static IEnumerable<(DateOnly From, DateOnly To)> Periods(DateOnly start, DateOnly end, string granularity)
    {
        if (granularity == "DAILY")
        {
            for (var d = start; d < end; d = d.AddDays(1)) yield return (d, d.AddDays(1));
            yield break;
        }
        var from = start;
        while (from < end)
        {
            var next = new DateOnly(from.Year, from.Month, 1).AddMonths(1);
            var to = next < end ? next : end;
            yield return (from, to);
            from = to;
        }
    }

    private static DateOnly Date(JsonInput period, string member)
    {
        var text = period.String(member) ?? throw new AwsException("ValidationException", $"TimePeriod {member} must be given.");
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new AwsException("ValidationException", $"{member} date '{text}' is not in the format yyyy-MM-dd.");
        return date;
    }

    private static string Text(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
