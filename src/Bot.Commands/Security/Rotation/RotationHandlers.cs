using System.Text.Json;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.Logs;
using Bot.Integrations.Aws.SecretsManager;
using Bot.Workflows.Activities;
using Bot.Workflows.Changes;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Ports;

namespace Bot.Commands.Security.Rotation;

/// <summary>What a rotation's checks and start have in common: the secret's metadata, read through Secrets Manager.</summary>
internal static class RotationState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<SecretDescription> DescribeAsync(ISecretsManagerClient secrets, string secret, CancellationToken cancellationToken) =>
        AwsPortFailures.Translate(() => secrets.DescribeSecretAsync(secret, cancellationToken));

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>What must hold before a rotation starts; null when it does.</summary>
    public static LiveCheck? Refusal(SecretDescription live, string secret, string expectedCurrent)
    {
        if (!live.RotationConfigured)
            return LiveCheck.Differs("RotationNotConfigured", $"{secret} no longer has rotation configured; nothing was changed.");
        if (live.VersionWith(SecretStages.Current) is { } current && current != expectedCurrent)
            return LiveCheck.Differs("SecretChanged", $"AWSCURRENT of {secret} is version {ChangeSpec.ShortVersion(current)} now, not {ChangeSpec.ShortVersion(expectedCurrent)} as approved; someone changed it. Nothing was changed.");
        if (live.UnfinishedVersion is { } pending)
            return LiveCheck.Differs("RotationUnfinished", $"an earlier rotation of {secret} is unfinished (AWSPENDING on version {ChangeSpec.ShortVersion(pending)}); " +
                $"clear it with `aws secretsmanager update-secret-version-stage --secret-id {secret} --version-stage AWSPENDING --remove-from-version-id {pending}` and request it again. Nothing was changed.");
        return null;
    }
}

/// <summary>The live-state check before an approved rotation (<see cref="PreflightRotation"/>). Read-only.</summary>
public sealed class PreflightRotationHandler(ISecretsManagerClient secrets, IDirectory directory, TimeProvider time, FreezeCalendar? freezes = null) : ActivityHandler<PreflightRotation>
{
    protected override async Task<LiveCheck> CheckAsync(PreflightRotation a, CancellationToken cancellationToken) =>
        PreflightRules.Refusal(a.Spec, a.Digest, a.Category, freezes ?? FreezeCalendar.None, time.GetUtcNow())
        ?? RotationState.Refusal(await RotationState.DescribeAsync(secrets, a.Spec.Secret!, cancellationToken), a.Spec.Secret!, a.Spec.SecretVersion!) ?? LiveCheck.Go;

    protected override async Task<ActivityResult> RunAsync(PreflightRotation a, CancellationToken cancellationToken) =>
        PreflightRules.Passed("the live state matches the approval: AWSCURRENT unchanged, rotation configured, nothing unfinished",
            await PreflightRules.RolesNowAsync(directory, a.Approvers, cancellationToken));
}

/// <summary>
/// <see cref="StartRotation"/>: RotateSecret with the change's token. Found already there (a crash after the call) → done,
/// nothing started again; AWSCURRENT moved or another rotation unfinished → refused, nothing changed.
/// </summary>
public sealed class StartRotationHandler(ISecretsManagerClient secrets) : ActivityHandler<StartRotation>
{
    protected override async Task<LiveCheck> CheckAsync(StartRotation a, CancellationToken cancellationToken)
    {
        var live = await RotationState.DescribeAsync(secrets, a.Secret, cancellationToken);
        if (live.Stages.ContainsKey(a.Token)) return LiveCheck.Done($"the rotation to version {ChangeSpec.ShortVersion(a.Token)} had started already");
        return RotationState.Refusal(live, a.Secret, a.CurrentVersionId) ?? LiveCheck.Go;
    }

    protected override async Task<ActivityResult> RunAsync(StartRotation a, CancellationToken cancellationToken)
    {
        var started = await AwsPortFailures.Translate(() => secrets.RotateSecretAsync(a.Secret, a.Token, cancellationToken));
        return new ActivityResult($"Secrets Manager started rotating {a.Secret}: new version {ChangeSpec.ShortVersion(started.VersionId ?? a.Token)}");
    }
}

/// <summary>
/// <see cref="CheckRotation"/>: the new version's stages, and the rotation function's <c>ERROR</c> lines about this secret
/// since the rotation started (masked). Read-only, so a repeat is harmless.
/// </summary>
public sealed class CheckRotationHandler(ISecretsManagerClient secrets, ICloudWatchLogsClient logs) : ActivityHandler<CheckRotation>
{
    public const int ShownErrors = 2;
    public const int MaxLineLength = 240;

    protected override Task<LiveCheck> CheckAsync(CheckRotation activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(CheckRotation a, CancellationToken cancellationToken)
    {
        var live = await RotationState.DescribeAsync(secrets, a.Secret, cancellationToken);
        var current = live.VersionWith(SecretStages.Current);
        RotationReading reading;
        if (current == a.NewVersionId) reading = new RotationReading(RotationStage.Current, [], current);
        else
        {
            var errors = await ErrorsAsync(a, cancellationToken);
            var stage = errors.Count > 0 || (current is not null && current != a.PreviousVersionId) ? RotationStage.Failed
                : live.Stages.TryGetValue(a.NewVersionId, out var stages) && stages.Contains(SecretStages.Pending) ? RotationStage.Pending
                : RotationStage.Started;
            reading = new RotationReading(stage, errors, current);
        }
        return new ActivityResult($"{a.Secret}: {reading.Stage}", RotationState.Serialize(reading));
    }

    /// <summary>The rotation function's ERROR lines that name this secret, newest rotation only; none when its log group does not exist yet.</summary>
    private async Task<IReadOnlyList<string>> ErrorsAsync(CheckRotation a, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(a.LogGroup)) return [];
        try
        {
            var found = await AwsPortFailures.Translate(() => logs.FilterAllLogEventsAsync(new FilterLogEventsRequest
            {
                LogGroupName = a.LogGroup,
                StartTime = a.Since.ToUnixTimeMilliseconds(),
                EndTime = a.Until.AddMinutes(1).ToUnixTimeMilliseconds(),
                FilterPattern = "ERROR",
            }, 200, cancellationToken));
            return found.Events
                .Where(e => e.Message?.Contains(a.Secret, StringComparison.Ordinal) == true)
                .OrderBy(e => e.Timestamp)
                .Select(e => RotationErrorLine.Read(e.Message!, a.Secret))
                .GroupBy(line => line.Text)
                .Select(g => g.FirstOrDefault(l => l.Exception is not null) ?? g.First())
                .Select(line => line.ToString())
                .Select(line => line.Length <= MaxLineLength ? line : line[..(MaxLineLength - 1)] + "…")
                .Take(ShownErrors)
                .ToList();
        }
        catch (Bot.Workflows.Ports.PortException e) when (e.Code is "NotFound")
        {
            return [];
        }
    }
}
