using System.Globalization;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary><c>/sb changes [--all]</c>: changes waiting for approval and those of the last week (<c>--all</c>: the last 30 days).</summary>
public sealed class ChangesCommand(ChangeReader changes, TimeProvider time) : ICommandHandler
{
    public const int Max = 40;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "changes",
        Summary = "List changes: waiting for approval, running, and recent ones.",
        Usage = "/sb changes [--all]",
        MaxPositionals = 0,
        Flags = [new FlagSpec("all", "Every change of the last 30 days, not only open ones and the last week's.", TakesValue: false)],
        Examples = ["/sb changes", "/sb changes --all"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = context.Arguments.Has("all");
        var list = await changes.RecentAsync(now - TimeSpan.FromDays(all ? 30 : 7), Max, cancellationToken);
        if (list.Count == 0)
        {
            await context.RespondEphemeralAsync(all ? "No changes in the last 30 days." : Line.Of("No changes in the last week. ", Code("/sb deploy"), " requests one."), cancellationToken);
            return;
        }
        var text = all
            ? new LineBuilder(Strong("Changes, last 30 days"), " (newest first)\n")
            : new LineBuilder(Strong("Changes, last week"), " (newest first; ", Code("--all"), " for 30 days)\n");
        // Unreviewed break-glass changes first, until someone reviews them; then those waiting for approval.
        foreach (var c in list.OrderBy(c => c.Data.Unreviewed ? 0 : c.CurrentState is ChangeState.PendingApproval ? 1 : 2)) text.AddLine(Summary(c, now));
        await context.RespondEphemeralAsync(text.ToLine().TrimEnd(), cancellationToken);
    }

    /// <summary>One change in a line: its state, what it does, who asked and when, and what it waits for.</summary>
    public static Line Summary(Change c, DateTimeOffset now)
    {
        var d = c.Data;
        var extra = c.CurrentState == ChangeState.PendingApproval
            ? Line.Of($" — needs {string.Join(" and ", ApprovalPolicy.Missing(d, d.Approvals))}, expires {Ago(d.ExpiresAt, now)}")
            : d.Unreviewed ? Line.Of(" — ", Emoji("rotating_light"), " break-glass, unreviewed", d.ReviewEscalatedAt is not null ? " (escalated to the ops managers)" : "")
            : c.CurrentState == ChangeState.NotVerified ? Line.Of(" — ", d.NotVerifiedReason ?? "not verified")
            : Line.Empty;
        return Line.Of(Emoji(StateEmoji(c.CurrentState)), " ", Code(c.Id), " ", Strong(c.CurrentState.ToString()),
            $" · {d.Spec.Describe()} · {d.Category} · by @{d.RequesterName} {Ago(d.RequestedAt, now)}", extra);
    }

    private static string StateEmoji(ChangeState state) => state switch
    {
        ChangeState.PendingApproval => "hourglass_flowing_sand",
        ChangeState.Approved or ChangeState.Executing or ChangeState.Verifying or ChangeState.RollingBack => "gear",
        ChangeState.Completed => "white_check_mark",
        ChangeState.NotVerified => "warning",
        ChangeState.RolledBack => "leftwards_arrow_with_hook",
        ChangeState.Failed => "x",
        _ => "heavy_minus_sign",
    };

    /// <summary>"3h ago" or "in 21h".</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        var abs = span.Duration();
        var amount = abs.TotalMinutes < 60 ? $"{Math.Max(1, (int)abs.TotalMinutes)}m" : abs.TotalHours < 48 ? $"{(int)abs.TotalHours}h" : $"{(int)abs.TotalDays}d";
        return span >= TimeSpan.Zero ? $"{amount} ago" : $"in {amount}";
    }

    internal static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
