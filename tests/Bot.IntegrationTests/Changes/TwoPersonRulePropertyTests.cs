using System.Globalization;
using Bot.Commands.Routing;
using Bot.Sandbox.PagerDuty;
using Bot.Workflows.Changes;
using FsCheck;
using FsCheck.Fluent;

namespace Bot.IntegrationTests.Changes;

/// <summary>One thing the adversary (or a bystander) does.</summary>
public abstract record Move;

/// <summary>A slash command; <c>{incident}</c> stands for the newest incident in PagerDuty.</summary>
public sealed record Ask(string Actor, string Text, Via Via) : Move;

/// <summary>
/// A click on a button that was on a card, with text when the button asks for some: a button of the kind
/// <paramref name="Action"/> (approving most often: that is what an adversary and a colleague both do) on one of the newest
/// cards, or any button of any card at any version (<paramref name="Old"/>).
/// </summary>
public sealed record Press(string Actor, string Action, int Button, bool Old, string? Input, Via Via) : Move;

/// <summary>
/// The legitimate path, so that the property also sees changes that ran whatever the other moves did: a bystander asks for a
/// Standard change that needs one approver (reserved concurrency of <paramref name="Function"/>), and Mallory approves it on
/// its card over Slack (<paramref name="Via"/>; the shell's Mallory never counts in production).
/// </summary>
public sealed record Vouch(string Bystander, string Function, int Concurrency, Via Via) : Move;

/// <summary>A signed request sent again, byte for byte.</summary>
public sealed record Replay(int Which) : Move;

/// <summary>The sandbox's monitoring raises an incident on a SecureBase service (it qualifies for break-glass while open).</summary>
public sealed record Outage : Move;

/// <summary>Every open incident is resolved.</summary>
public sealed record AllClear : Move;

/// <summary>
/// Done when: "the sandbox's PROD alias, configuration and concurrency change only after a second, distinct person with
/// the required role approved — or through break-glass on a qualifying incident, which then shows as unreviewed". FsCheck
/// generates sequences of what Mallory (every role) and bystanders (no role) do — requests of every kind and category,
/// clicks on every version of every card, replays — over signed HTTP, Socket Mode and the shell, the shell being a second
/// instance on the same DynamoDB table. The only second person with a role is Mallory herself when a bystander asks.
/// </summary>
public sealed class TwoPersonRulePropertyTests(TwoPersonRulePropertyTests.World world) : IClassFixture<TwoPersonRulePropertyTests.World>
{
    /// <summary>500 sequences a run (the issue's floor); <c>TWO_PERSON_SEQUENCES</c> runs more.</summary>
    public static int Sequences => Math.Max(500, int.TryParse(Environment.GetEnvironmentVariable("TWO_PERSON_SEQUENCES"), out var n) ? n : 0);

    public sealed class World : IAsyncLifetime
    {
        public TwoPersonWorld Value { get; private set; } = null!;
        public async Task InitializeAsync() => Value = await TwoPersonWorld.StartAsync();
        public async Task DisposeAsync() => await Value.DisposeAsync();
    }

    private static readonly Gen<string> Actors = Gen.Frequency((3, Gen.Constant(TwoPersonWorld.Mallory)), (2, Gen.Elements(TwoPersonWorld.Bystanders)));
    private static readonly Gen<Via> Transports = Gen.Elements(Via.Http, Via.SocketMode, Via.Shell);
    private static readonly Gen<string> Functions = Gen.Elements(TwoPersonWorld.Functions);

    private static readonly Gen<string> Requests =
        from fn in Functions
        from n in Gen.Choose(4, 9)
        from what in Gen.Elements(
            $"deploy {{0}} {n}", "deploy {0} --publish", "deploy {0} --publish --clear-weights", "rollback {0}", $"rollback {{0}} --to {n}",
            $"concurrency {{0}} {n * 10}", $"concurrency {{0}} {n} --provisioned", "config {0} set LOG_LEVEL=debug", "config {0} set API_TOKEN=t0k3n-{1}",
            "config {0} --memory 1024", "page securebase-prod-lambda \"made-up outage {1}\"",
            // The data changes and the rotation (issues 21 and 22) are production changes too.
            "restore table securebase-prod-reports --to {{restoreTo}} --reason r{1}", "restore object {{reportKey}} --version {{reportVersion}} --reason r{1}",
            "cleanup sessions --older-than 30d --request --reason r{1}", "capacity securebase-prod-user-invites provisioned --read {1} --write 5 --reason r",
            "capacity securebase-prod-user-invites on-demand --reason r", "rotate db-credentials --reason r{1}")
        from category in Gen.Elements("", " --category major", " --security", " --category emergency --reason x", " --category emergency --incident {incident} --reason x")
        from salt in Gen.Choose(1, 9999)
        select string.Format(CultureInfo.InvariantCulture, what, fn, salt) + (what.StartsWith("page", StringComparison.Ordinal) ? "" : category);

    // Vouch is rarer than the rest (about one move in 45, some 30 a run): a change that runs is watched, and a run of 500
    // sequences needs only a few of them to show the legitimate path works.
    private static readonly Gen<Move> Moves = Gen.Frequency(
        (15, from a in Actors from t in Requests from v in Transports select (Move)new Ask(a, t, v)),
        (18, from a in Actors from kind in Gen.Frequency((4, Gen.Constant("Approve")), (1, Gen.Constant("Reject")), (1, Gen.Constant("Cancel")), (1, Gen.Constant("BreakGlass")), (1, Gen.Constant("RollBack")), (1, Gen.Constant("Review")))
             from b in Gen.Choose(0, 10_000) from old in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
             from i in Gen.Elements<string?>(null, "because", "lgtm") from v in Transports select (Move)new Press(a, kind, b, old, i, v)),
        (1, from b in Gen.Elements(TwoPersonWorld.Bystanders) from fn in Functions from n in Gen.Choose(2, 9)
            from v in Gen.Elements(Via.Http, Via.SocketMode) select (Move)new Vouch(b, fn, n * 10, v)),
        (3, from w in Gen.Choose(0, 10_000) select (Move)new Replay(w)),
        (3, Gen.Constant((Move)new Outage())),
        (3, Gen.Constant((Move)new AllClear())));

    private static readonly Gen<Move[]> Sequence = from n in Gen.Choose(1, 5) from moves in Gen.ArrayOf(Moves, n) select moves;

    [Fact]
    public async Task Production_changes_only_after_a_second_person_with_the_role_approved_or_through_break_glass_left_unreviewed()
    {
        Prop.ForAll(Sequence.ToArbitrary(), moves => RunAsync(moves).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Sequences).WithEndSize(10));

        // Not vacuous: the legitimate paths were taken too, so the rule is what stopped the rest.
        var all = await world.Value.ChangesAsync();
        var seen = string.Join("; ", all.GroupBy(c => $"{c.CurrentState} {c.Data.Finding}").Select(g => $"{g.Count()} × {g.Key}"))
                   + " | still waiting: " + string.Join("; ", all.Where(c => c.CurrentState == ChangeState.PendingApproval).Select(c => $"{c.Data.Spec.Describe()} by {c.Data.RequesterId}"));
        Assert.True(all.Where(Ran).Any(c => !c.Data.BreakGlass && c.Data.RequesterId != "U1MALLORY"), $"No bystander's change ran after Mallory approved it: {seen}");
        Assert.True(all.Count(c => c.Data.RequesterId == "U1MALLORY") > 20, $"Mallory asked for few changes of her own: {seen}");
    }

    private async Task<bool> RunAsync(Move[] moves)
    {
        var w = world.Value;
        var before = w.Production();
        var since = DateTimeOffset.UtcNow;
        foreach (var move in moves)
        {
            switch (move)
            {
                case Ask ask:
                    var incidents = w.Sandbox.PagerDuty.Incidents;
                    var incident = incidents.Count > 0 ? incidents[^1].Id : "Q0NONE";
                    await w.CommandAsync(ask.Actor, w.Fill(ask.Text.Replace("{incident}", incident, StringComparison.Ordinal)), ask.Via);
                    break;
                case Press press when w.Buttons.Count > 0:
                    // Of the kind pressed (any kind when no card has one): one of the three newest, or any at all.
                    var kind = w.Buttons.Where(b => b.ActionId == "wf:change:" + press.Action).ToList() is { Count: > 0 } ofKind ? ofKind : w.Buttons;
                    var button = press.Old ? kind[press.Button % kind.Count] : kind[kind.Count - 1 - press.Button % Math.Min(kind.Count, 3)];
                    await w.ClickAsync(press.Actor, button, press.Input, press.Via);
                    break;
                case Vouch vouch:
                    var known = (await w.ChangesAsync()).Select(c => c.Id).ToHashSet();
                    await w.CommandAsync(vouch.Bystander, $"concurrency {vouch.Function} {vouch.Concurrency}", Via.Http);
                    await w.SettleAsync();
                    // Refused when the function is busy with another change: then there is nothing to vouch for.
                    var asked = (await w.ChangesAsync()).LastOrDefault(c => !known.Contains(c.Id) && c.CurrentState == ChangeState.PendingApproval);
                    var approve = asked is null ? default : w.Buttons.LastOrDefault(b => b.ActionId == "wf:change:Approve" && b.Value.Contains(asked.Id, StringComparison.Ordinal));
                    if (approve.Value is not null) await w.ClickAsync(TwoPersonWorld.Mallory, approve, null, vouch.Via);
                    break;
                case Replay replay:
                    await w.ReplayAsync(replay.Which);
                    break;
                case Outage:
                    w.MonitoringIncidents.Add(PagerDutyScenarios.Page(w.Sandbox, "lambda-errors", "securebase-prod-user-management").Incident.Id);
                    break;
                case AllClear:
                    foreach (var open in w.Sandbox.PagerDuty.Incidents.Where(i => i.Status != "resolved"))
                        w.Sandbox.PagerDuty.Resolve(open.Id, PagerDutyAgent.Of(PagerDutyDirectory.Users[^1]));
                    break;
            }
            // After a request, the wait for its card to be posted (so a click can find it, however loaded the machine); after
            // anything else only a short one, not for the work to finish: a click races the approval, the preflight and the
            // run before it, as a fast adversary's would.
            await w.SettleAsync(move is Ask ? null : TimeSpan.FromMilliseconds(60));
        }
        await w.SettleAsync();

        var changes = await w.ChangesAsync();
        foreach (var change in changes.Where(Ran))
            Assert.True(Legit(change, w), $"{change.Id} ({change.Data.Spec.Describe()}, {change.Data.Category}, security {change.Data.SecurityRelevant}, requested by {change.Data.RequesterId}) ran as {change.CurrentState} without a second person with the role: approvals {string.Join(", ", change.Data.Approvals.Select(a => a.UserId))}, break-glass {change.Data.BreakGlass} on {change.Data.IncidentId}, unreviewed {change.Data.Unreviewed}. Moves: {string.Join(" ; ", moves.Select(m => m.ToString()))}");
        var after = w.Production();
        foreach (var (resource, now) in after.Where(kv => before[kv.Key] != kv.Value))
            Assert.True(changes.Any(c => Touches(c, resource) && Ran(c) && Legit(c, w) && c.Last is { } last && last.At >= since),
                $"{resource} changed ({before[resource]} → {now}) with no approved change that ran. Moves: {string.Join(" ; ", moves.Select(m => m.ToString()))}");
        await CleanUpAsync(w, changes);
        return true;
    }

    /// <summary>Between sequences, each requester withdraws what is still waiting (as a person may), so the next sequence finds the functions free.</summary>
    private static async Task CleanUpAsync(TwoPersonWorld w, IReadOnlyList<Change> changes)
    {
        foreach (var change in changes.Where(c => c.CurrentState == ChangeState.PendingApproval))
        {
            var cancel = w.Buttons.LastOrDefault(b => b.ActionId == "wf:change:Cancel" && b.Value.Contains(change.Id, StringComparison.Ordinal));
            if (cancel.Value is null) continue;
            var requester = change.Data.RequesterName;
            await w.ClickAsync(requester, cancel, null, Via.Http);
        }
    }

    /// <summary>Whether <paramref name="c"/> is a change that may alter <paramref name="resource"/> (a key of <see cref="TwoPersonWorld.Production"/>).</summary>
    private static bool Touches(Change c, string resource) => resource switch
    {
        TwoPersonWorld.TablesKey => c.Data.Spec.Operation is not null,
        TwoPersonWorld.SecretsKey => c.Data.Spec.RotatesSecret,
        _ => c.Data.Spec.Function == resource,
    };

    /// <summary>The change reached the point where it acts on production.</summary>
    private static bool Ran(Change c) =>
        c.Data.Spec.Environment == "prod" &&
        (c.CurrentState is ChangeState.Executing or ChangeState.Verifying or ChangeState.RollingBack or ChangeState.Completed or ChangeState.NotVerified or ChangeState.RolledBack
         || c.Data.AppliedAt is not null || (c.CurrentState == ChangeState.Failed && c.Last?.From is "Executing" or "RollingBack"));

    /// <summary>
    /// A second, distinct person holding the required role approved it (the only such person is Mallory in Slack — the
    /// shell's Mallory never counts in production — and only when she did not ask for it); or Mallory broke the glass on an
    /// incident the monitoring raised, and it is still unreviewed (nobody else can review it).
    /// </summary>
    private static bool Legit(Change c, TwoPersonWorld w)
    {
        if (c.Data.BreakGlass)
            return c.Data.Unreviewed && c.Data.IncidentId is { } incident && w.MonitoringIncidents.Contains(incident) && c.Data.RequesterId is "U1MALLORY";
        var seats = ApprovalPolicy.RequiredRoles(c.Data).Count;
        var distinctRealApprovers = c.Data.Approvals.Where(a => a.UserId == "U1MALLORY" && a.UserId != c.Data.RequesterId && a.Digest == c.Data.Digest).Select(a => a.UserId).Distinct().Count();
        return distinctRealApprovers >= seats;
    }
}
