using Bot.Commands.Cloud;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.Checks;

/// <summary>The answer to <c>/sb security checks</c> (and the daily report's security section when it is not clean).</summary>
public static class SecurityCheckMessages
{
    public static Line Headline(SecurityCheckReport r)
    {
        var since = DurationParser.Format(r.Since);
        if (r.Clean)
            return Line.Of(Emoji("white_check_mark"), $" Security checks, {r.Environment}, last {since}: clean — no ", Code("UNAUTHORIZED"), " lines",
                r.CloudTrail is null ? " (CloudTrail not checked: set Security__CloudTrailLogGroup)" : " and no CloudTrail errors", ".");
        var parts = new List<string>();
        var functions = r.Functions.Count(f => f.Count > 0);
        if (r.Unauthorized > 0) parts.Add($"{r.Unauthorized} UNAUTHORIZED line(s) in {functions} function(s)");
        if (r.CloudTrail is { Count: > 0 } trail) parts.Add($"{trail.Count} CloudTrail error event(s)");
        var unread = r.Functions.Count(f => f.Problem is not null) + (r.CloudTrail?.Problem is null ? 0 : 1);
        if (unread > 0) parts.Add($"{unread} area(s) could not be read");
        return Line.Of(Emoji("warning"), $" Security checks, {r.Environment}, last {since}: {string.Join(", ", parts)}.");
    }

    public static IReadOnlyList<Line> Details(SecurityCheckReport r)
    {
        var lines = new List<Line>();
        foreach (var f in r.Functions)
        {
            if (f.Problem is { } problem) lines.Add(Line.Of(Emoji("x"), " ", Code(f.Function), ": could not read ", Code(f.Group), " (", problem, ")"));
            else if (f.Count == 0) lines.Add(Line.Of(Emoji("white_check_mark"), " ", Code(f.Function), ": no ", Code("UNAUTHORIZED"), " lines"));
            else
            {
                lines.Add(Line.Of(Emoji("warning"), " ", Code(f.Function), $": {f.Count}{(f.Truncated ? "+" : "")} ", Code("UNAUTHORIZED"), " line(s); newest:"));
                lines.AddRange(f.Newest.Select(l => Line.Of("    ", Code(l))));
            }
        }
        switch (r.CloudTrail)
        {
            case null:
                lines.Add(Line.Of(Emoji("information_source"), " CloudTrail: not checked (no ", Code("Security__CloudTrailLogGroup"), ")"));
                break;
            case { Problem: { } problem } trail:
                lines.Add(Line.Of(Emoji("x"), " CloudTrail: could not read ", Code(trail.Group), " (", problem, ")"));
                break;
            case { Count: 0 } trail:
                lines.Add(Line.Of(Emoji("white_check_mark"), " CloudTrail (", Code(trail.Group), "): no error events"));
                break;
            case var trail:
                lines.Add(Line.Of(Emoji("warning"), " CloudTrail (", Code(trail.Group), $"): {trail.Count}{(trail.Truncated ? "+" : "")} error event(s):"));
                lines.AddRange(trail.Findings.Take(6).Select(f => Line.Of("    ", Code(f.ErrorCode), $" ×{f.Count}: ", Code(f.Who), " calling ", Code(f.Call), " from ", Code(f.From))));
                break;
        }
        return lines;
    }

    public static ChatMessage Build(SecurityCheckReport r)
    {
        var headline = Headline(r);
        var details = Details(r);
        return ChatMessage.InChannel(Line.Of(headline, "\n", Line.Join("\n", details)),
            [new TextBlock(headline), new LinesBlock(details),
             new NoteBlock(Line.Of("The procedures' daily checks: ", Code("filter-log-events --filter-pattern UNAUTHORIZED"), " on every function's log group and ",
                 Code(SecurityChecks.TrailErrorPattern), " on the CloudTrail group. Secrets and e-mail addresses are masked, addresses show their /24."))]);
    }
}
