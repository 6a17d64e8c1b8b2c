using System.Globalization;
using Bot.Commands.Access;
using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Recovery;

/// <summary>
/// Plans and starts the procedures' quarterly DR test: each table restored to its latest restorable time into a
/// <c>securebase-drill-&lt;env&gt;-&lt;table&gt;-&lt;yyyyMMddHHmm&gt;</c> table. Outside production the drill starts at once (its job
/// is audited like any workflow); in production it is a change a second person approves. Used by <c>/sb drill</c> and
/// by the quarterly schedule.
/// </summary>
public sealed class DrillStarter(
    ITableRecovery tables,
    WorkflowEngine engine,
    ChangeRequester requester,
    ICloud cloud,
    IOptions<RecoveryOptions> recovery,
    IOptionsMonitor<SlackOptions> slack,
    TimeProvider time)
{
    public const string DefaultEnvironment = "staging";

    /// <summary>The drill of <paramref name="wanted"/> (all the environment's tables when empty); refused when a table has no PITR or a drill table exists.</summary>
    public async Task<DrillPlan> PlanAsync(SecureBaseOptions options, string environment, IReadOnlyList<string> wanted, CancellationToken cancellationToken)
    {
        var env = options.Get(environment);
        var sources = wanted.Count == 0 ? env.Tables : wanted.Select(w => RecoveryTargets.Table(options, w, env.Name).Table).Distinct().ToList();
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
        var drill = new List<DrillTable>();
        foreach (var source in sources)
        {
            var window = await ChangeReads.ReadAsync(Line.Of("the restorable window of ", Code(source)), () => tables.GetRestoreWindowAsync(source, cancellationToken));
            if (!window.Enabled)
                throw new UserFacingException(Line.Of(Emoji("no_entry"), " Point-in-time recovery is off on ", Code(source), ", so it cannot be drilled (", Code($"/sb backups {env.Name}"),
                    " says so too). Name the other tables, or turn PITR on first. Nothing was started."));
            var target = RecoveryJobs.DrillTarget(env.Name, source, stamp);
            if (await ChangeReads.ReadAsync(Line.Of(Code(target)), () => tables.DescribeTableAsync(target, cancellationToken)) is not null)
                throw new UserFacingException(Line.Of(Emoji("no_entry"), " ", Code(target), " exists already; a drill deletes only tables it made, so it will not use it. Try again in a minute. Nothing was started."));
            drill.Add(new DrillTable(source, target, recovery.Value.ObjectiveOf(env.Name, source)));
        }
        return new DrillPlan(env.Name, drill);
    }

    /// <summary>Starts the drill (outside production) or requests it as a change (production), answering through <paramref name="reply"/>.</summary>
    public async Task StartAsync(Actor user, string requestId, IReplyChannel reply, DrillPlan plan, ChangeData data, CancellationToken cancellationToken)
    {
        if (string.Equals(plan.Environment, ChangeTarget.Production, StringComparison.OrdinalIgnoreCase))
        {
            data.Spec = new ChangeSpec { Kind = ChangeKind.DrDrill, Environment = plan.Environment, Operation = plan };
            await requester.SubmitAsync(user, requestId, reply, data, cancellationToken);
            return;
        }
        var channel = slack.CurrentValue.OpsChannelId;
        if (string.IsNullOrWhiteSpace(channel))
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " A drill reports in ", Code("Slack__OpsChannelId"), " (the #securebase-ops channel); it is not set. Nothing was started."));
        var actor = RoleGate.ActorOf(user);
        var id = RecoveryIds.New(RecoveryIds.Drill, time.GetUtcNow());
        var job = RecoveryJobs.Drill(id, plan, new JobOwner(channel, actor.UserId, actor.UserName, cloud.IsRehearsal, null), recovery.Value, time.GetUtcNow());
        var created = await engine.CreateAsync(job, actor, requestId, $"drill-request:{requestId}", cancellationToken);
        if (created.Kind == FireOutcomeKind.Duplicate) return;
        if (created.Kind != FireOutcomeKind.Transitioned)
            throw new UserFacingException(Line.Of(Emoji("x"), " The drill could not be saved: ", created.Describe()));
        await reply.RespondAsync(ChatMessage.EphemeralText(Line.Of(Emoji("rotating_light"), " DR drill ", Code(id), $" started in {plan.Environment}: {plan.Tables.Count} table(s) restored to their latest restorable time, measured, then deleted. Its card in ",
            Channel(channel), " follows it.")), cancellationToken);
    }
}
