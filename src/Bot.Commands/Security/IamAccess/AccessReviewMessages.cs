using Bot.Workflows.AccessReviews;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.IamAccess;

/// <summary>One function's result: its snapshot and what changed since, or why it was not reviewed.</summary>
public sealed record FunctionReview(string Function, RoleSnapshot? Snapshot, AccessReviewDiff? Diff, string? NotReviewed);

/// <summary>The answer to <c>/sb access</c>: per function its role, last use, findings and the changes since the previous review.</summary>
public static class AccessReviewMessages
{
    public const int MaxDiffLines = 8;

    public static ChatMessage Build(string environment, IReadOnlyList<FunctionReview> reviews)
    {
        var flagged = reviews.Count(r => r.Snapshot is { Findings.Count: > 0 });
        var changed = reviews.Count(r => r.Diff is { First: false, Unchanged: false });
        var headline = Line.Of(Emoji(flagged > 0 ? "warning" : "white_check_mark"), " ", Strong($"Access review, {environment}"),
            $": {reviews.Count(r => r.Snapshot is not null)} role(s) reviewed, {flagged} with findings, {changed} changed since the previous review",
            reviews.Any(r => r.NotReviewed is not null) ? $", {reviews.Count(r => r.NotReviewed is not null)} not reviewed" : "", ".");
        var lines = reviews.SelectMany(Lines).ToList();
        return ChatMessage.InChannel(Line.Of(headline, "\n", Line.Join("\n", lines)),
            [new TextBlock(headline), new LinesBlock(lines),
             new NoteBlock(Line.Of("Flagged: an action or resource that is ", Code("*"), " (or a whole service), and writes allowed outside ", Code("securebase-*"),
                 ". The result is kept: the next ", Code("/sb access"), " shows what changed since."))]);
    }

    private static IEnumerable<Line> Lines(FunctionReview r)
    {
        if (r.Snapshot is not { } s)
        {
            yield return Line.Of(Emoji("no_entry"), " ", Code(r.Function), ": not reviewed — ", r.NotReviewed ?? "");
            yield break;
        }
        yield return Line.Of(Emoji(s.Findings.Count > 0 ? "warning" : "white_check_mark"), " ", Code(r.Function), " → role ", Code(s.Role),
            $", {s.Statements.Count} statement(s), last used ", s.LastUsed is { } used ? Time(used) : Line.Of("never (in IAM's 400 days)"),
            s.Findings.Count == 0 ? "; nothing flagged" : $"; {s.Findings.Count} finding(s):");
        foreach (var finding in s.Findings) yield return Line.Of("    ", Emoji("small_red_triangle"), " ", Code(finding));
        switch (r.Diff)
        {
            case { First: true }:
                yield return Line.Of("    first review of this role: kept, so the next one shows what changed");
                break;
            case { Unchanged: true, Previous: { } p }:
                yield return Line.Of("    no change since the review of ", Time(p.ReviewedAt), " by @", p.ReviewedBy);
                break;
            case { Previous: { } p } d:
                yield return Line.Of("    ", Strong("changed"), " since the review of ", Time(p.ReviewedAt), " by @", p.ReviewedBy, d.RoleChanged ? Line.Of(" (role was ", Code(p.Role), ")") : null, ":");
                foreach (var added in d.Added.Take(MaxDiffLines)) yield return Line.Of("    + ", Code(added));
                foreach (var removed in d.Removed.Take(MaxDiffLines)) yield return Line.Of("    − ", Code(removed));
                if (d.Added.Count + d.Removed.Count > 2 * MaxDiffLines) yield return Line.Of("    …");
                break;
        }
    }
}
