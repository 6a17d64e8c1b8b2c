using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Testing.Slack;

namespace Bot.Bench;

/// <summary>What reached Slack during a storm: the ops channel's posts (top level and in threads) and edits, and when the digest told the channel about the storm.</summary>
public static partial class StormSlack
{
    /// <summary>How soon the channel should learn of a storm, and of all of it once the last incident is recorded.</summary>
    public static readonly TimeSpan DigestWithin = TimeSpan.FromSeconds(10);

    public static void Report(IReadOnlyList<RecordedRequest> requests, DateTimeOffset started, TimeSpan recorded, int quiet, int maxPerMinute, bool trace)
    {
        var calls = requests.Where(r => r.At >= started && r.Path.StartsWith("/api/chat.", StringComparison.Ordinal)).ToList();
        if (trace)
            foreach (var r in calls) Console.WriteLine($"       {Ms(r.At - started),6} ms  {r.Path[5..]} {r.Body[..Math.Min(120, r.Body.Length)]}");

        var ops = calls.Where(r => r.Body.Contains($"\"channel\":\"{StormBenchmark.Ops}\"", StringComparison.Ordinal)).ToList();
        var posts = ops.Where(r => r.Path == "/api/chat.postMessage").ToList();
        var topLevel = posts.Count(r => !r.Body.Contains("\"thread_ts\":", StringComparison.Ordinal));
        var edits = ops.Count(r => r.Path == "/api/chat.update");
        var elsewhere = calls.Count(r => r.Path == "/api/chat.postMessage") - posts.Count;
        var last = calls.Count == 0 ? TimeSpan.Zero : calls.Max(r => r.At) - started;
        Console.WriteLine($"slack         ops channel: {topLevel} top-level posts, {posts.Count - topLevel} thread replies, {edits} edits; {elsewhere} posts elsewhere; " +
            $"the last of {calls.Count} chat calls {Ms(last)} ms after the first webhook   (goal: ≤ {maxPerMinute + 1} top-level posts, a digest instead of a thread each: {Stats.Met(topLevel <= maxPerMinute + 1)})");

        var digests = ops.Select(r => (r.At, Match: DigestCount().Match(r.Body))).Where(d => d.Match.Success)
            .Select(d => (d.At, Count: int.Parse(d.Match.Groups[1].Value, CultureInfo.InvariantCulture))).ToList();
        if (digests.Count == 0)
        {
            Console.WriteLine("digest        none reached Slack");
            return;
        }
        var first = digests[0];
        var complete = digests.FirstOrDefault(d => d.Count >= quiet);
        var completeAt = complete.At == default ? (TimeSpan?)null : complete.At - started;
        var met = first.At - started <= DigestWithin && completeAt <= recorded + DigestWithin;
        Console.WriteLine($"digest        first in the channel {Ms(first.At - started)} ms after the first webhook, listing {first.Count}; " +
            $"listing all {quiet} {(completeAt is { } at ? $"at {Ms(at)} ms" : "never")}   " +
            $"(goal: ≤ {DigestWithin.TotalSeconds:0} s after the first webhook, complete ≤ {DigestWithin.TotalSeconds:0} s after the last incident was recorded: {Stats.Met(met)})");
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The digest's title, as posted and as edited: "Incident storm: 12 new incidents without a thread", "Incident storm over: 490 incidents".</summary>
    [GeneratedRegex(@"""text"":""Incident storm(?: over)?: (\d+) ")]
    private static partial Regex DigestCount();
}
