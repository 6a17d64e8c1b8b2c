using Bot.Testing;
using Bot.Testing.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage.Sqlite;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Recovery;

/// <summary>
/// The two-person rule holds for the data changes too (table restore, report restore, session clean-up, capacity, DR
/// drill in production): whatever the requester, a shell user, someone without the approver role or the bot does, in
/// any order, a change starts only after someone else holding the approver role approved exactly its plan — or, for an
/// Emergency change with an open incident, when its requester breaks the glass, which leaves it unreviewed.
/// </summary>
public sealed class DataChangeTwoPersonPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 14, 2, 0, TimeSpan.Zero);

    public static readonly OperationPlan[] Plans =
    [
        new TableRestorePlan("prod", "securebase-prod-user-sessions", "securebase-prod-user-sessions-restored-202611301200", Now.AddHours(-2), Now.AddDays(-35), Now.AddMinutes(-5), Now, 186_113, 40_000_000),
        new ObjectRestorePlan("prod", "securebase-prod-reports-123456789012", "reports/2026/11/report.pdf", "v1", Now.AddDays(-5), 83_707, "marker", true),
        new SessionCleanupPlan("prod", "securebase-prod-user-sessions", 30, Now.AddDays(-30).ToUnixTimeSeconds(), 14_797, 738, Now.AddDays(-90), 100, "expires_at"),
        new CapacityPlan("prod", "securebase-prod-user-sessions", CapacityPlan.OnDemand, 0, 0, [], CapacityPlan.Provisioned, 100, 50, ["user_id-index"], 10, 1000, 70),
        new DrillPlan("prod", [new DrillTable("securebase-prod-user-sessions", "securebase-drill-prod-user-sessions-202611301402", new RecoveryObjective("critical", TimeSpan.FromHours(1), TimeSpan.FromHours(1)))]),
    ];

    private static readonly ChangeKind[] Kinds = [ChangeKind.RestoreTable, ChangeKind.RestoreObject, ChangeKind.SessionCleanup, ChangeKind.Capacity, ChangeKind.DrDrill];

    /// <summary>Who acts: the requester, the requester at the shell, someone with no roles, a responder, the bot, and two approvers.</summary>
    private static readonly WorkflowActor[] Actors =
        [Ana, WorkflowActor.ShellUser(Ana.UserId, "ana"), Eve, Rob, WorkflowActor.Bot, WorkflowActor.ShellUser(Ben.UserId, "ben"), Ben, Dee];

    private static readonly ChangeTrigger[] Triggers = [ChangeTrigger.Approve, ChangeTrigger.Reject, ChangeTrigger.Cancel, ChangeTrigger.BreakGlass, ChangeTrigger.AutoApprove];

    private static Gen<(int Plan, bool Emergency, (int Actor, int Trigger)[] Steps)> Scenarios() =>
        from plan in Gen.Choose(0, Plans.Length - 1)
        from emergency in Gen.Elements(false, true)
        from count in Gen.Choose(1, 6)
        from steps in Gen.ArrayOf(Gen.Choose(0, Actors.Length - 1).Zip(Gen.Choose(0, Triggers.Length - 1)), count)
        select (plan, emergency, steps);

    [Property(MaxTest = 60)]
    public Property No_data_change_starts_without_another_person_with_the_approver_role_approving_exactly_its_plan() =>
        Prop.ForAll(Scenarios().ToArbitrary(), s => RunAsync(s.Plan, s.Emergency, s.Steps).GetAwaiter().GetResult());

    private static async Task<bool> RunAsync(int planIndex, bool emergency, (int Actor, int Trigger)[] steps)
    {
        var path = TestStorage.NewSqlitePath();
        try
        {
            var time = new FakeTimeProvider(Now);
            var store = new SqliteWorkflowStore(path, time);
            await store.InitializeAsync(CancellationToken.None);
            var host = new ChangeHost(store, time);
            var data = new ChangeData
            {
                Spec = new ChangeSpec { Kind = Kinds[planIndex], Environment = "prod", Operation = Plans[planIndex] },
                Channel = "C0OPS",
                RequesterId = Ana.UserId,
                RequesterName = Ana.UserName,
                Reason = "property",
                Category = emergency ? ChangeCategory.Emergency : ChangeCategory.Standard,
                IncidentId = emergency ? "P1ABCDE" : null,
                IncidentVerifiedOpen = emergency,
            };
            await host.RequestAsync(data);
            foreach (var (actor, trigger) in steps)
            {
                var who = Actors[actor];
                await host.Engine.FireAsync(WorkflowTrigger.For(Change.Type, "CHG-1", Triggers[trigger], who) with
                {
                    ArgumentsJson = Triggers[trigger] == ChangeTrigger.Reject ? """{"input":"no"}""" : null,
                    Source = who.Kind == ActorKind.Bot ? TriggerSource.Automatic : TriggerSource.Person,
                }, CancellationToken.None);
            }
            var change = await host.LoadAsync();
            var started = change.CurrentState is not (ChangeState.PendingApproval or ChangeState.Rejected or ChangeState.Cancelled or ChangeState.Expired);
            var validApproval = change.Data.Approvals.Any(a => a.UserId != Ana.UserId && a.Roles.Contains(Role.Approver) && a.Digest == change.Data.Digest)
                && change.Data.Approvals.All(a => a.UserId != Ana.UserId);
            var brokeGlass = change.Data.BreakGlass && emergency && change.Data.Unreviewed;
            var digestBindsPlan = change.Data.Digest == data.Spec.Digest() && change.Data.Spec.Operation?.Canonical() == Plans[planIndex].Canonical();
            return digestBindsPlan && (!started || validApproval || brokeGlass);
        }
        finally
        {
            TestStorage.Delete(path);
        }
    }

    [Fact]
    public void The_digest_of_a_data_change_binds_its_plan()
    {
        var a = new ChangeSpec { Kind = ChangeKind.RestoreTable, Environment = "prod", Operation = Plans[0] };
        var b = new ChangeSpec { Kind = ChangeKind.RestoreTable, Environment = "prod", Operation = (TableRestorePlan)Plans[0] with { RestoreTo = Now.AddHours(-3) } };

        Assert.NotEqual(a.Digest(), b.Digest());
        Assert.Equal(a.Digest(), new ChangeSpec { Kind = ChangeKind.RestoreTable, Environment = "prod", Operation = Plans[0] with { } }.Digest());
    }
}
