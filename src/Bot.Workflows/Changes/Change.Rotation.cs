using System.Text.Json;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>
/// A secret rotation: once approved, <c>RotateSecret</c> starts the secret's rotation function, and the change follows
/// the new version through <c>AWSPENDING</c> to <c>AWSCURRENT</c> (completed), or to the rotation function's errors or
/// the timeout (failed: <c>AWSCURRENT</c> stays where it was, and the thread says how to retry).
/// </summary>
public sealed partial class Change
{
    private Bot.Workflows.Activities.Activity StartRotationActivity()
    {
        Data.RotationVersionId ??= StartRotation.TokenFor(Id);
        return new StartRotation(Data.Spec.Secret!, Data.Spec.SecretVersion!, Data.RotationVersionId);
    }

    /// <summary>Applied: the rotation runs in Secrets Manager now; look at it every few seconds until it ends or times out.</summary>
    private void StartFollowingRotation(FireContext ctx)
    {
        Data.AppliedAt = ctx.Now;
        Data.VerifyUntil = ctx.Now + Data.RotationTimeout;
        Data.RotationStage = nameof(RotationStage.Started);
        if (ctx.Activity is { FoundDone: true })
            Timeline(Line.Of("The bot was interrupted after starting the rotation; on restart it found it running and did not start another."));
        Timeline(Line.Of("Secrets Manager is rotating ", Code(Data.Spec.Secret!), " with ", Code(Data.Spec.RotationFunction ?? "its rotation function"),
            ": the new version ", Code(ChangeSpec.ShortVersion(Data.RotationVersionId)), " goes through ", Code("AWSPENDING"), " (createSecret, setSecret, testSecret) to ",
            Code("AWSCURRENT"), " (finishSecret). Following it until ", Time(Data.VerifyUntil.Value), "."));
        ArmRotationCheck(ctx);
    }

    private void ArmRotationCheck(FireContext ctx)
    {
        var next = ctx.Now + Data.RotationCheckEvery;
        SetTimer("watch", ChangeTrigger.Watch, next < Data.VerifyUntil!.Value ? next : Data.VerifyUntil.Value, $"watch:{Data.Checks + 1}");
    }

    private void CheckRotationNow(FireContext ctx)
    {
        Data.Checks++;
        Run("check", new CheckRotation(Data.Spec.Secret!, Data.Spec.RotationLogGroup ?? "", Data.Spec.SecretVersion!, Data.RotationVersionId!, Data.AppliedAt!.Value, ctx.Now),
            ChangeTrigger.Checked, ChangeTrigger.CheckFailed);
    }

    /// <summary>Where a rotation check leads: completed, failed, or another look (with a line when the stage moved).</summary>
    private ChangeState AfterRotationCheck(FireContext ctx)
    {
        var reading = ctx.Activity?.DetailJson is { } json ? JsonSerializer.Deserialize<RotationReading>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)) : null;
        switch (reading?.Stage)
        {
            case RotationStage.Current:
                Data.RotationStage = nameof(RotationStage.Current);
                return ChangeState.Completed;
            case RotationStage.Failed:
                Data.RotationStage = nameof(RotationStage.Failed);
                Data.RotationFailure = FailureText(reading.Errors.Count > 0
                    ? $"the rotation function failed: {string.Join(" / ", reading.Errors)}"
                    : $"AWSCURRENT moved to version {ChangeSpec.ShortVersion(reading.CurrentVersionId)}, not the new one");
                return ChangeState.Failed;
        }
        if (reading?.Stage == RotationStage.Pending && Data.RotationStage != nameof(RotationStage.Pending))
        {
            Data.RotationStage = nameof(RotationStage.Pending);
            Timeline(Line.Of("createSecret done: version ", Code(ChangeSpec.ShortVersion(Data.RotationVersionId)), " has ", Code("AWSPENDING"), "; ",
                Code("AWSCURRENT"), " is still version ", Code(ChangeSpec.ShortVersion(Data.Spec.SecretVersion)), "."));
        }
        return TimedOut(ctx) ? ChangeState.Failed : ChangeState.Verifying;
    }

    /// <summary>A check that could not read Secrets Manager: look again, until the timeout (then it counts as failed, unconfirmed).</summary>
    private ChangeState AfterRotationCheckFailed(FireContext ctx) => TimedOut(ctx) ? ChangeState.Failed : ChangeState.Verifying;

    private bool TimedOut(FireContext ctx)
    {
        if (ctx.Now < Data.VerifyUntil) return false;
        Data.RotationFailure ??= FailureText($"it did not reach AWSCURRENT within {Data.RotationTimeout.TotalMinutes:0.#} minutes (last seen: {Data.RotationStage})");
        return true;
    }

    /// <summary>A failed rotation's finding: what happened, what is true now, and how to retry.</summary>
    private string FailureText(string what)
    {
        var s = Data.Spec;
        return $"{what}. AWSCURRENT stays on version {ChangeSpec.ShortVersion(s.SecretVersion)}: every reader keeps the value it had. " +
               $"To retry, fix the cause (the rotation function's log: {s.RotationLogGroup}), clear the pending version with " +
               $"`aws secretsmanager update-secret-version-stage --secret-id {s.Secret} --version-stage AWSPENDING --remove-from-version-id {Data.RotationVersionId}`, " +
               $"then request it again with `/sb rotate {s.Secret} --env {s.Environment}`.";
    }

    /// <summary>Completed: rotated; who reads the secret and when they see the new value.</summary>
    private Line RotatedLine()
    {
        var s = Data.Spec;
        var readers = s.SecretReaders.Count == 0
            ? Line.Of("No SecureBase function names it in its environment.")
            : Line.Of("Read by ", Line.Join(", ", s.SecretReaders.Select(r => Line.Of(Code(r.Function), " (", Code(r.Variable), ")"))),
                ": Lambda functions pick up the new secret on their next invocation (as the ops guide says; one that caches it keeps the old value until its next cold start, and ",
                Code("AWSPREVIOUS"), " still holds it meanwhile).");
        return Line.Of(Strong("Rotated: "), Code("AWSCURRENT"), " of ", Code(s.Secret!), " is now version ", Code(ChangeSpec.ShortVersion(Data.RotationVersionId)),
            " (was ", Code(ChangeSpec.ShortVersion(s.SecretVersion)), ", now ", Code("AWSPREVIOUS"), "). ", readers);
    }

    /// <summary>The card's lines for a rotation.</summary>
    private IEnumerable<Line> RotationLines()
    {
        var s = Data.Spec;
        yield return Line.Of(Strong("Secret: "), Code(s.Secret!), " (values are never shown)");
        yield return Data.RotationStage == nameof(RotationStage.Current)
            ? Line.Of(Code("AWSCURRENT"), " now: version ", Code(ChangeSpec.ShortVersion(Data.RotationVersionId)), " (was ", Code(ChangeSpec.ShortVersion(s.SecretVersion)),
                ") · rotation function ", Code(s.RotationFunction ?? "?"))
            : Line.Of(Code("AWSCURRENT"), " now: version ", Code(ChangeSpec.ShortVersion(s.SecretVersion)), " · rotation function ", Code(s.RotationFunction ?? "?"));
        if (Data.RotationVersionId is { } next && Data.RotationStage != nameof(RotationStage.Current))
            yield return Line.Of("new version ", Code(ChangeSpec.ShortVersion(next)), Data.RotationStage is { } stage ? $" · {stage}" : "");
        yield return s.SecretReaders.Count == 0
            ? Line.Of("read by no SecureBase function (none names it in its environment)")
            : Line.Of("read by ", Line.Join(", ", s.SecretReaders.Select(r => Line.Of(Code(r.Function), " via ", Code(r.Variable)))));
    }
}
