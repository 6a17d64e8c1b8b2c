using System.Globalization;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.Lambda;
using Bot.Workflows.Ports;

namespace Bot.Integrations.Aws;

/// <summary>Whether the bot's AWS account is the rehearsal sandbox (set by the host).</summary>
public sealed record CloudAccount(bool IsRehearsal);

/// <summary>
/// The domain's <see cref="ICloud"/> over our Lambda and CloudWatch clients. Writes are conditional on Lambda's
/// <c>RevisionId</c>; configuration updates wait until Lambda has applied them. Every AWS failure comes back as a
/// <see cref="PortException"/> in words a person understands, transient (throttling, 5xx, timeouts, an update still in
/// progress) or not.
/// </summary>
public sealed class LambdaCloud(ILambdaClient lambda, ICloudWatchClient cloudWatch, CloudAccount account, TimeProvider time) : ICloud
{
    public bool IsRehearsal => account.IsRehearsal;

    public Task<AliasState> GetAliasAsync(string function, string alias, CancellationToken cancellationToken) => Translate(async () =>
        ToAlias(function, alias, await lambda.GetAliasAsync(function, alias, cancellationToken)));

    public Task<AliasState> MoveAliasAsync(string function, string alias, string toVersion, string expectedRevisionId, CancellationToken cancellationToken) => Translate(async () =>
        ToAlias(function, alias, await lambda.UpdateAliasAsync(function, alias, new UpdateAliasRequest
        {
            FunctionVersion = toVersion,
            RevisionId = expectedRevisionId,
            // Explicitly empty: Lambda keeps an alias's weights unless told otherwise, so a move would leave traffic elsewhere.
            RoutingConfig = new AliasRoutingConfiguration { AdditionalVersionWeights = [] },
        }, cancellationToken)));

    public Task<VersionInfo> GetVersionAsync(string function, string version, CancellationToken cancellationToken) => Translate(async () =>
        ToVersion(function, await lambda.GetFunctionConfigurationAsync(function, version, cancellationToken)));

    public Task<IReadOnlyList<VersionInfo>> ListVersionsAsync(string function, CancellationToken cancellationToken) => Translate<IReadOnlyList<VersionInfo>>(async () =>
        (await lambda.ListVersionsByFunctionAsync(function, cancellationToken))
            .Where(v => v.Version is { } n && n != "$LATEST")
            .OrderByDescending(v => long.Parse(v.Version!, CultureInfo.InvariantCulture))
            .Select(v => ToVersion(function, v))
            .ToList());

    public Task<FunctionSettings> GetSettingsAsync(string function, CancellationToken cancellationToken) => Translate(async () =>
        ToSettings(function, await lambda.GetFunctionConfigurationAsync(function, null, cancellationToken)));

    public Task<FunctionSettings> UpdateSettingsAsync(string function, SettingsUpdate update, string expectedRevisionId, CancellationToken cancellationToken) => Translate(async () =>
    {
        await lambda.UpdateFunctionConfigurationAsync(function, new UpdateFunctionConfigurationRequest
        {
            MemorySize = update.MemoryMb,
            Timeout = update.TimeoutSeconds,
            Environment = update.Environment is { } env ? new FunctionEnvironment { Variables = new Dictionary<string, string>(env, StringComparer.Ordinal) } : null,
            RevisionId = expectedRevisionId,
        }, cancellationToken);
        return ToSettings(function, await lambda.WaitForUpdateAsync(function, time, cancellationToken: cancellationToken));
    });

    public Task<int?> GetReservedConcurrencyAsync(string function, CancellationToken cancellationToken) => Translate(async () =>
        (await lambda.GetFunctionConcurrencyAsync(function, cancellationToken)).ReservedConcurrentExecutions);

    public Task SetReservedConcurrencyAsync(string function, int? value, CancellationToken cancellationToken) => Translate(async () =>
    {
        if (value is { } n) await lambda.PutFunctionConcurrencyAsync(function, n, cancellationToken);
        else await lambda.DeleteFunctionConcurrencyAsync(function, cancellationToken);
        return true;
    });

    public Task<int?> GetProvisionedConcurrencyAsync(string function, string alias, CancellationToken cancellationToken) => Translate(async () =>
    {
        try
        {
            return (await lambda.GetProvisionedConcurrencyConfigAsync(function, alias, cancellationToken)).RequestedProvisionedConcurrentExecutions;
        }
        catch (AwsServiceException e) when (LambdaErrors.Missing(e) is { Kind: LambdaMissingKind.ProvisionedConcurrency })
        {
            return (int?)null;
        }
    });

    public Task SetProvisionedConcurrencyAsync(string function, string alias, int? value, CancellationToken cancellationToken) => Translate(async () =>
    {
        if (value is { } n) await lambda.PutProvisionedConcurrencyConfigAsync(function, alias, n, cancellationToken);
        else await lambda.DeleteProvisionedConcurrencyConfigAsync(function, alias, cancellationToken);
        return true;
    });

    public Task<InvocationCounts> CountInvocationsAsync(string function, string? alias, string? executedVersion, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => Translate(async () =>
    {
        var dimensions = new List<Dimension> { new("FunctionName", function) };
        if (alias is not null) dimensions.Add(new Dimension("Resource", $"{function}:{alias}"));
        if (alias is not null && executedVersion is not null) dimensions.Add(new Dimension("ExecutedVersion", executedVersion));
        var start = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, from.Minute, 0, TimeSpan.Zero);
        var end = to <= start ? start.AddMinutes(1) : to;
        // A long look back (e.g. which versions an alias ran over two weeks) reads hours; a watch reads minutes.
        var period = end - start > TimeSpan.FromDays(1) ? 3600 : 60;
        MetricDataQuery Query(string id, string metric) => new()
        {
            Id = id,
            MetricStat = new MetricStat { Metric = new Metric { Namespace = "AWS/Lambda", MetricName = metric, Dimensions = dimensions }, Period = period, Stat = "Sum" },
        };
        var results = await cloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            MetricDataQueries = [Query("invocations", "Invocations"), Query("errors", "Errors")],
            StartTime = start,
            EndTime = end,
        }, cancellationToken);
        long Sum(string id) => (long)Math.Round(results.Where(r => r.Id == id).SelectMany(r => r.Values).Sum());
        return new InvocationCounts(Sum("invocations"), Sum("errors"));
    });

    public Task<IReadOnlyList<string>> AlarmsEnteredAsync(IReadOnlyList<string> alarmNames, DateTimeOffset since, CancellationToken cancellationToken) => Translate<IReadOnlyList<string>>(async () =>
    {
        if (alarmNames.Count == 0) return [];
        var answer = await cloudWatch.DescribeAlarmsAsync(new DescribeAlarmsRequest
        {
            AlarmNames = [.. alarmNames],
            AlarmTypes = [AlarmTypes.Metric, AlarmTypes.Composite],
        }, cancellationToken);
        var found = answer.MetricAlarms.Select(a => (a.AlarmName, a.StateValue, a.StateUpdatedTimestamp))
            .Concat(answer.CompositeAlarms.Select(a => (a.AlarmName, a.StateValue, a.StateUpdatedTimestamp)))
            .ToList();
        var missing = alarmNames.Where(n => found.All(f => f.AlarmName != n)).ToList();
        if (missing.Count > 0)
            throw new PortException("AlarmNotFound", $"CloudWatch has no alarm named {string.Join(", ", missing)} (Changes__RollbackAlarms)", transient: false);
        return found.Where(f => f.StateValue == "ALARM" && f.StateUpdatedTimestamp >= since).Select(f => f.AlarmName!).ToList();
    });

    private static AliasState ToAlias(string function, string alias, AliasConfiguration a) =>
        new(function, alias, a.FunctionVersion ?? "?", a.RevisionId ?? "")
        {
            Weights = a.RoutingConfig?.AdditionalVersionWeights is { Count: > 0 } weights
                ? weights.Where(w => w.Value > 0).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal)
                : new Dictionary<string, double>(),
        };

    private static VersionInfo ToVersion(string function, FunctionConfiguration c) =>
        new(function, c.Version ?? "?", c.CodeSha256 ?? "", c.Description);

    private static FunctionSettings ToSettings(string function, FunctionConfiguration c) => new(
        function, c.RevisionId ?? "", c.MemorySize ?? 0, c.Timeout ?? 0,
        c.Environment?.Variables is { } v ? new Dictionary<string, string>(v, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal),
        c.CodeSha256 ?? "");

    private static Task<T> Translate<T>(Func<Task<T>> call) => AwsPortFailures.Translate(call);

    private static async Task Translate(Func<Task<bool>> call) => await Translate<bool>(call);
}
