using System.Text.Json;
using Bot.Commands.Cloud;
using Bot.Commands.Redaction;
using Bot.Integrations.Aws.Logs;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Security.Checks;

/// <summary>One log group's <c>UNAUTHORIZED</c> lines: how many, the newest (masked), or why it could not be read.</summary>
public sealed record LogCheck(string Function, string Group, int Count, bool Truncated, IReadOnlyList<string> Newest, string? Problem);

/// <summary>A kind of CloudTrail error (code, call, who, from where — the address masked) and how often it came.</summary>
public sealed record TrailFinding(string ErrorCode, string Call, string Who, string From, int Count);

/// <summary>The CloudTrail log group's error events, grouped; or why it could not be read.</summary>
public sealed record TrailCheck(string Group, int Count, bool Truncated, IReadOnlyList<TrailFinding> Findings, string? Problem);

/// <summary>The procedures' daily security checks for one environment over a window.</summary>
public sealed record SecurityCheckReport(string Environment, TimeSpan Since, IReadOnlyList<LogCheck> Functions, TrailCheck? CloudTrail)
{
    public int Unauthorized => Functions.Sum(f => f.Count);

    /// <summary>Nothing found and every area read.</summary>
    public bool Clean => Unauthorized == 0 && Functions.All(f => f.Problem is null) && CloudTrail is not { Count: > 0 } && CloudTrail?.Problem is null;
}

/// <summary>
/// The procedures' daily security checks: <c>UNAUTHORIZED</c> lines in every SecureBase function's logs (FilterLogEvents,
/// each group on its own under a time limit, lines masked), and error events in the CloudTrail log group when
/// <c>Security__CloudTrailLogGroup</c> names one (an error code or an error message). An area that fails is named, never fatal.
/// </summary>
public sealed class SecurityChecks(ICloudWatchLogsClient logs, IOptions<SecurityOptions> options, TimeProvider time)
{
    public const int MaxEvents = 500;
    public const int NewestShown = 3;
    public const int MaxLineLength = 240;
    public static readonly TimeSpan AreaTimeout = TimeSpan.FromSeconds(20);
    public const string UnauthorizedPattern = "UNAUTHORIZED";
    /// <summary>CloudTrail events that failed: an error code (access denied, …) or an error message (a failed console sign-in has only that).</summary>
    public const string TrailErrorPattern = "{ ($.errorCode = \"*\") || ($.errorMessage = \"*\") }";

    public async Task<SecurityCheckReport> RunAsync(SecureBaseEnvironment env, TimeSpan since, CancellationToken cancellationToken)
    {
        var to = time.GetUtcNow();
        var from = to - since;
        var functions = env.Functions.Select(f => CheckFunctionAsync(f, env.LogGroupOf(f), from, to, cancellationToken)).ToList();
        var trail = options.Value.CloudTrailLogGroup is { Length: > 0 } group ? CheckTrailAsync(group.Trim(), from, to, cancellationToken) : Task.FromResult<TrailCheck?>(null);
        await Task.WhenAll([.. functions, trail]);
        return new SecurityCheckReport(env.Name, since, functions.Select(t => t.Result).ToList(), await trail);
    }

    private async Task<LogCheck> CheckFunctionAsync(string function, string group, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        try
        {
            var found = await SearchAsync(group, UnauthorizedPattern, from, to, cancellationToken);
            var newest = found.Events.OrderByDescending(e => e.Timestamp).Take(NewestShown)
                .Select(e => Cut(AddressMask.Text(e.Message?.Split('\n')[0].Trim()))).ToList();
            return new LogCheck(function, group, found.Events.Count, found.Truncated, newest, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new LogCheck(function, group, 0, false, [], Problem(e));
        }
    }

    private async Task<TrailCheck?> CheckTrailAsync(string group, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        try
        {
            var found = await SearchAsync(group, TrailErrorPattern, from, to, cancellationToken);
            var findings = found.Events.Select(e => Read(e.Message)).Where(f => f is not null).Select(f => f!)
                .GroupBy(f => (f.ErrorCode, f.Call, f.Who, f.From))
                .Select(g => g.First() with { Count = g.Count() })
                .OrderByDescending(f => f.Count).ThenBy(f => f.ErrorCode, StringComparer.Ordinal)
                .ToList();
            return new TrailCheck(group, found.Events.Count, found.Truncated, findings, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new TrailCheck(group, 0, false, [], Problem(e));
        }
    }

    private async Task<LogSearchResult> SearchAsync(string group, string pattern, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(AreaTimeout);
        return await logs.FilterAllLogEventsAsync(new FilterLogEventsRequest
        {
            LogGroupName = group,
            StartTime = from.ToUnixTimeMilliseconds(),
            EndTime = to.ToUnixTimeMilliseconds(),
            FilterPattern = pattern,
        }, MaxEvents, limit.Token);
    }

    /// <summary>A CloudTrail event's error, call, caller and address (masked); null when the line is not such an event.</summary>
    internal static TrailFinding? Read(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return null;
        try
        {
            using var doc = JsonDocument.Parse(message);
            var e = doc.RootElement;
            string? Text(JsonElement parent, string name) => parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var identity = e.TryGetProperty("userIdentity", out var id) ? id : default;
            var who = Text(identity, "userName") ?? Text(identity, "arn")?.Split('/')[^1] ?? Text(identity, "type") ?? "unknown";
            var source = Text(e, "eventSource")?.Replace(".amazonaws.com", "", StringComparison.Ordinal) ?? "?";
            var code = Text(e, "errorCode") ?? Text(e, "errorMessage") ?? "?";
            var failedSignIn = e.TryGetProperty("responseElements", out var r) && Text(r, "ConsoleLogin") is "Failure" ? " (failed sign-in)" : "";
            // AWS's identifiers (codes, event names, user names) are not secrets, but a user name may be an e-mail address.
            return new TrailFinding(Redactor.RedactEmails(code) + failedSignIn, Redactor.RedactEmails($"{source}:{Text(e, "eventName") ?? "?"}"), Redactor.RedactEmails(who),
                AddressMask.Ip(Text(e, "sourceIPAddress")), 1);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Problem(Exception e) =>
        e is OperationCanceledException ? $"did not answer within {AreaTimeout.TotalSeconds:0} s" : AwsFailures.ShortReason(e) ?? e.GetType().Name;

    private static string Cut(string line) => line.Length <= MaxLineLength ? line : line[..(MaxLineLength - 1)] + "…";
}
