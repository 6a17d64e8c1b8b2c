using Bot.Commands.Access;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.AccessReviews;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.IamAccess;

/// <summary>
/// <c>/sb access [&lt;function&gt;] [--env prod]</c>: the guide's access review of a function's execution role, or of every
/// SecureBase function's: attached and inline policies, flagged wildcards and writes outside <c>securebase-*</c>, the role's
/// last use. The result is kept (an <see cref="AccessReview"/> per environment, audited), and the next review shows the diff.
/// </summary>
public sealed class AccessCommand(
    AccessReviewer reviewer,
    WorkflowEngine engine,
    IAggregateStore store,
    IOptions<SecureBaseOptions> secureBase,
    IOptions<SecurityOptions> security,
    TimeProvider time) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "access",
        Summary = "Access review: a function's execution role and policies, flagged wildcards and writes outside securebase-*, and what changed since the last review.",
        Usage = "/sb access [<function>] [--env prod]",
        MaxPositionals = 1,
        Flags = [new FlagSpec("env", "Environment: prod (default), staging or dev.", ValueHint: "prod")],
        Examples = ["/sb access", "/sb access user-management", "/sb access report-engine --env staging"],
        Roles = security.Value.Viewers,
        RolesNeededTo = "review access",
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var options = secureBase.Value;
        var (env, functions) = args.Positional(0) is { } wanted
            ? Single(args.Function(options, wanted))
            : (options.Get(args.Flag("env")), options.Get(args.Flag("env")).Functions);
        var now = time.GetUtcNow();
        var results = await Task.WhenAll(functions.Select(f => ReviewAsync(options, f, context.User.UserName, now, single: functions.Count == 1, cancellationToken)));

        var kept = await store.LoadAsync(AccessReview.Type, env.Name, cancellationToken) is { } record ? (AccessReview)AccessReview.Definition.Restore(record) : null;
        var reviews = results.Select(r =>
        {
            if (r.Snapshot is not { } s) return r;
            var diff = AccessReviewDiff.Between(kept?.Data.Functions.GetValueOrDefault(s.Function), s);
            return r with { Snapshot = s with { Added = diff.Added.Count, Removed = diff.Removed.Count }, Diff = diff };
        }).ToList();
        var snapshots = reviews.Where(r => r.Snapshot is not null).Select(r => r.Snapshot!).ToList();
        if (snapshots.Count > 0) await KeepAsync(context, env.Name, kept is null, snapshots, cancellationToken);
        await context.RespondAsync(AccessReviewMessages.Build(env.Name, reviews), cancellationToken);
    }

    private static (SecureBaseEnvironment, IReadOnlyList<string>) Single((SecureBaseEnvironment Env, string Function) resolved) => (resolved.Env, [resolved.Function]);

    private async Task<FunctionReview> ReviewAsync(SecureBaseOptions options, string function, string user, DateTimeOffset now, bool single, CancellationToken cancellationToken)
    {
        try
        {
            return new FunctionReview(function, await AwsFailures.Guard(Line.Of("reviewing the role of ", Code(function)),
                () => reviewer.ReviewAsync(options, function, user, now, cancellationToken)), null, null);
        }
        catch (NotReviewableException e) when (single)
        {
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " ", Code(function), $" was not reviewed: {e.Message}. Nothing was kept."));
        }
        catch (NotReviewableException e)
        {
            return new FunctionReview(function, null, null, e.Message);
        }
        catch (UserFacingException e) when (!single)
        {
            return new FunctionReview(function, null, null, e.Text.ToPlainText());
        }
    }

    /// <summary>Keeps the snapshots: the environment's first review creates its record, later ones replace its functions' snapshots.</summary>
    private async Task KeepAsync(CommandContext context, string environment, bool first, IReadOnlyList<RoleSnapshot> snapshots, CancellationToken cancellationToken)
    {
        var actor = RoleGate.ActorOf(context.User);
        if (first)
        {
            var created = await engine.CreateAsync(AccessReview.First(environment, snapshots), actor, context.Request.RequestId, $"access-review:{context.Request.RequestId}", cancellationToken);
            if (created.Kind is FireOutcomeKind.Transitioned or FireOutcomeKind.Duplicate) return;
        }
        var recorded = await engine.FireAsync(WorkflowTrigger.For(AccessReview.Type, environment, AccessReviewTrigger.Record, actor) with
        {
            Source = TriggerSource.Person,
            RequestId = context.Request.RequestId,
            IdempotencyKey = $"access-review:{context.Request.RequestId}:record",
            ArgumentsJson = AccessReview.Arguments(snapshots),
        }, cancellationToken);
        if (recorded.Kind is not (FireOutcomeKind.Transitioned or FireOutcomeKind.Duplicate))
            await context.RespondEphemeralAsync(Line.Of(Emoji("warning"), " The review below could not be kept (", recorded.Describe(), "); the next one will compare with the last kept."), cancellationToken);
    }
}
