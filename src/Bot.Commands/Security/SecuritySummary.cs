using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Security.Logins;
using Bot.Commands.Security.Secrets;
using Bot.Integrations.Aws.SecretsManager;
using Bot.Workflows.AccessReviews;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security;

/// <summary>
/// The security lines of a review: a line per area (secret ages, the failed-login trend, access-review changes,
/// break-glass changes and their reviews), whether each is healthy, the actions the procedures would list (credential
/// rotations due, reviews to do), and the areas that could not be read (named; the others still come).
/// </summary>
public sealed record SecurityLines(IReadOnlyList<Line> Lines, IReadOnlyList<Line> Actions, IReadOnlyList<string> Problems, bool Healthy);

/// <summary>
/// The procedures' weekly security review for one environment, as lines any report can carry (the weekly review of the
/// reports issue calls <see cref="WeeklyAsync"/>). Each area is read on its own; one that fails is named in
/// <see cref="SecurityLines.Problems"/> and the rest still come.
/// </summary>
public sealed class SecuritySummary(
    ISecretsManagerClient secrets,
    FailedLogins logins,
    IAggregateStore store,
    ChangeReader changes,
    IOptions<SecurityOptions> security,
    TimeProvider time)
{
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);
    /// <summary>The procedures' monthly compliance check wants an access review at least this often.</summary>
    public static readonly TimeSpan ReviewEvery = TimeSpan.FromDays(30);
    public const int MaxChangesRead = 500;

    public async Task<SecurityLines> WeeklyAsync(SecureBaseEnvironment env, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lines = new List<Line>();
        var actions = new List<Line>();
        var problems = new List<string>();
        var healthy = true;

        async Task AreaAsync(string name, Func<Task<bool>> area)
        {
            try
            {
                healthy &= await area();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                healthy = false;
                var why = AwsFailures.ShortReason(e) ?? (e is Routing.UserFacingException u ? u.Text.ToPlainText() : e.GetType().Name);
                problems.Add($"{name}: {why}");
                lines.Add(Line.Of(Emoji("x"), $" {name}: could not be read ({why})"));
            }
        }

        await AreaAsync("Secret ages", async () =>
        {
            var schedule = security.Value.Credentials;
            var ages = SecretAge.All(await secrets.ListSecretsAsync($"securebase-{env.Name}-", cancellationToken), now, schedule);
            var due = ages.Where(a => a.Level != AgeLevel.Fresh).ToList();
            lines.Add(Line.Of(Emoji(due.Any(a => a.Level == AgeLevel.Critical) ? "red_circle" : due.Count > 0 ? "warning" : "white_check_mark"),
                $" Secrets: {ages.Count} in {env.Name}, {due.Count(a => a.Level == AgeLevel.Critical)} critical (≥ {schedule.CriticalDays} days), {due.Count(a => a.Level == AgeLevel.Warn)} past {schedule.WarnDays} days",
                due.Count == 0 ? null : Line.Of(": ", Line.Join(", ", due.Select(a => Line.Of(Code(a.Name), $" {a.AgeDays}d"))))));
            foreach (var a in due)
                actions.Add(a.RotationConfigured
                    ? Line.Of("Rotate ", Code(a.Name), $" ({a.AgeDays} days old): ", Code($"/sb rotate {a.Name}"))
                    : Line.Of("Configure rotation for ", Code(a.Name), $" ({a.AgeDays} days old, never rotated)"));
            return due.Count == 0;
        });

        await AreaAsync("Failed logins", async () =>
        {
            var (report, read) = await logins.ReadAsync(env, Week, null, cancellationToken);
            var trend = report.PreviousWeekTotal == 0 ? "none the week before"
                : $"{(report.Total >= report.PreviousWeekTotal ? "▲" : "▼")} from {report.PreviousWeekTotal} the week before";
            lines.Add(Line.Of(Emoji(report.Class >= IncidentClass.Medium ? "warning" : "white_check_mark"),
                $" Failed logins: {report.Total} this week ({trend}); {report.Bursts.Count} burst(s) from single addresses; {FailedLoginMessages.ClassText(report)}",
                read.Capped ? " (partial: the read stopped at its cap)" : ""));
            if (report.Bursts.Count > 0) actions.Add(Line.Of("Look at the failed-login bursts: ", Code($"/sb security logins --since 7d --env {env.Name}")));
            return report.Class < IncidentClass.Medium;
        });

        await AreaAsync("Access review", async () =>
        {
            var kept = await store.LoadAsync(AccessReview.Type, env.Name, cancellationToken) is { } record ? (AccessReview)AccessReview.Definition.Restore(record) : null;
            var snapshots = kept?.Data.Functions.Values.Where(s => env.Functions.Contains(s.Function)).ToList() ?? [];
            var stale = env.Functions.Where(f => snapshots.All(s => s.Function != f || s.ReviewedAt < now - ReviewEvery)).ToList();
            var changed = snapshots.Where(s => s.ReviewedAt >= now - Week && s.Added + s.Removed > 0).ToList();
            var findings = snapshots.Sum(s => s.Findings.Count);
            lines.Add(Line.Of(Emoji(changed.Count > 0 || stale.Count > 0 ? "warning" : findings > 0 ? "large_orange_diamond" : "white_check_mark"),
                $" Access review: {snapshots.Count} of {env.Functions.Count} role(s) reviewed, {findings} finding(s) standing",
                changed.Count == 0 ? ", no changes found this week" : Line.Of(", changed this week: ", Line.Join(", ", changed.Select(s => Line.Of(Code(s.Role), $" (+{s.Added} −{s.Removed})")))),
                stale.Count == 0 ? null : $"; {stale.Count} not reviewed in {ReviewEvery.TotalDays:0} days"));
            if (stale.Count > 0 || changed.Count > 0) actions.Add(Line.Of("Review access: ", Code($"/sb access --env {env.Name}")));
            return changed.Count == 0 && stale.Count == 0;
        });

        await AreaAsync("Break-glass changes", async () =>
        {
            var recent = (await changes.RecentAsync(now - Week, MaxChangesRead, cancellationToken)).Where(c => c.Data.Spec.Environment == env.Name).ToList();
            var glass = recent.Where(c => c.Data.BreakGlass).ToList();
            var unreviewed = glass.Where(c => c.Data.Unreviewed).ToList();
            var rotations = recent.Where(c => c.Data.Spec.RotatesSecret && c.CurrentState is (ChangeState.Completed or ChangeState.Failed)).ToList();
            lines.Add(Line.Of(Emoji(unreviewed.Count > 0 ? "warning" : "white_check_mark"),
                $" Break-glass changes: {glass.Count} this week, {glass.Count - unreviewed.Count} reviewed",
                unreviewed.Count == 0 ? null : Line.Of(", unreviewed: ", Line.Join(", ", unreviewed.Select(c => Line.Of(Code(c.Id))))),
                rotations.Count == 0 ? null : Line.Of($"; secret rotations: {rotations.Count(c => c.CurrentState == ChangeState.Completed)} done, {rotations.Count(c => c.CurrentState == ChangeState.Failed)} failed")));
            foreach (var c in unreviewed) actions.Add(Line.Of("Review break-glass change ", Code(c.Id), ": ", Code($"/sb change {c.Id}")));
            return unreviewed.Count == 0;
        });

        return new SecurityLines(lines, actions, problems, healthy && problems.Count == 0);
    }
}
