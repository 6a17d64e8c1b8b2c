using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.Secrets;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// Secrets Manager (AWS JSON 1.1, target prefix <c>secretsmanager</c>, signing name <c>secretsmanager</c>): ListSecrets
/// (Filters, MaxResults/NextToken paging, SortOrder), DescribeSecret, RotateSecret (the rotation runs on the account's clock),
/// GetSecretValue, UpdateSecretVersionStage and ListSecretVersionIds. Timestamps are epoch seconds.
/// </summary>
internal sealed class SecretsManagerService(SandboxAccount account) : IJsonService
{
    public string TargetPrefix => "secretsmanager";
    public string SigningName => "secretsmanager";
    public WireProtocol Protocol => WireProtocol.Json11;
    public string ErrorNamespace => "";
    public string ValidationCode => "InvalidParameterException";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    public bool Supports(string operation) => operation is "ListSecrets" or "DescribeSecret" or "RotateSecret" or "GetSecretValue"
        or "UpdateSecretVersionStage" or "ListSecretVersionIds";

    public object Invoke(string operation, JsonInput input)
    {
        var secrets = account.Secrets;
        switch (operation)
        {
            case "ListSecrets":
                return SecretsManagerListing.ListSecrets(secrets.All, input);
            case "DescribeSecret":
                return Describe(secrets.Require(SecretId(input)));
            case "RotateSecret":
                var rules = input.Object("RotationRules");
                var days = rules?.Long("AutomaticallyAfterDays");
                var schedule = rules?.String("ScheduleExpression");
                if (days is not null && schedule is not null)
                    throw new AwsException("InvalidParameterException", "You can't specify both AutomaticallyAfterDays and ScheduleExpression.");
                if (days is < 1 or > 1000)
                    throw new AwsException("InvalidParameterException", "AutomaticallyAfterDays must be between 1 and 1000.");
                if (schedule is not null && !(schedule.StartsWith("rate(", StringComparison.Ordinal) && schedule.EndsWith(" days)", StringComparison.Ordinal) &&
                                              int.TryParse(schedule.AsSpan(5, schedule.Length - 11), out var n) && n is >= 1 and <= 1000))
                    throw new AwsException("InvalidParameterException", $"The sandbox understands ScheduleExpression rate(N days) only, not '{schedule}'.");
                var token = input.String("ClientRequestToken");
                if (token is { Length: < 32 or > 64 })
                    throw new AwsException("InvalidParameterException", "ClientRequestToken must be between 32 and 64 characters.");
                var (secret, versionId) = secrets.Rotate(SecretId(input), token, input.String("RotationLambdaARN"), (int?)days, schedule,
                    input.Bool("RotateImmediately") ?? true);
                return new { ARN = secret.Arn, Name = secret.Name, VersionId = versionId };
            case "GetSecretValue":
                var (read, version) = secrets.Read(SecretId(input), input.String("VersionId"), input.String("VersionStage"));
                return new
                {
                    ARN = read.Arn,
                    Name = read.Name,
                    VersionId = version.VersionId,
                    SecretString = version.Value,
                    VersionStages = version.Stages,
                    CreatedDate = SandboxJson.EpochSeconds(version.Created),
                };
            case "UpdateSecretVersionStage":
                var stage = input.RequiredString("VersionStage");
                var remove = input.String("RemoveFromVersionId");
                var move = input.String("MoveToVersionId");
                if (remove is null && move is null)
                    throw new AwsException("InvalidParameterException", "You must specify RemoveFromVersionId, MoveToVersionId or both.");
                var moved = secrets.MoveStage(SecretId(input), stage, remove, move);
                return new { ARN = moved.Arn, Name = moved.Name };
            default:
                var owner = secrets.Require(SecretId(input));
                return new
                {
                    Versions = owner.Versions.OrderByDescending(v => v.Created).Select(v => new
                    {
                        v.VersionId,
                        VersionStages = v.Stages,
                        CreatedDate = SandboxJson.EpochSeconds(v.Created),
                        KmsKeyIds = new[] { owner.KmsKeyId ?? "DefaultEncryptionKey" },
                    }).ToList(),
                    ARN = owner.Arn,
                    Name = owner.Name,
                };
        }
    }

    /// <summary>DescribeSecret's answer, members in the model's order, absent ones left out.</summary>
    public static object Describe(SandboxSecret s) => new
    {
        ARN = s.Arn,
        s.Name,
        s.Description,
        s.KmsKeyId,
        s.RotationEnabled,
        RotationLambdaARN = s.RotationLambdaArn,
        RotationRules = Rules(s),
        LastRotatedDate = Epoch(s.LastRotated),
        LastChangedDate = SandboxJson.EpochSeconds(s.LastChanged),
        LastAccessedDate = Epoch(s.LastAccessed),
        Tags = s.Tags.Select(t => new { t.Key, t.Value }).ToList(),
        VersionIdsToStages = s.Versions.ToDictionary(v => v.VersionId, v => v.Stages),
        CreatedDate = SandboxJson.EpochSeconds(s.Created),
        NextRotationDate = Epoch(s.NextRotation),
    };

    /// <summary>RotationRules as DescribeSecret shows them: AutomaticallyAfterDays always (computed for a rate schedule), the schedule when one was set.</summary>
    public static object? Rules(SandboxSecret s) => s.RotationLambdaArn is null ? null : new
    {
        AutomaticallyAfterDays = s.IntervalDays,
        s.ScheduleExpression,
    };

    public static double? Epoch(DateTimeOffset? t) => t is { } v ? SandboxJson.EpochSeconds(v) : null;

    private static string SecretId(JsonInput input)
    {
        var id = input.RequiredString("SecretId");
        if (id.Length > 2048) throw new AwsException("InvalidParameterException", "SecretId must be at most 2048 characters.");
        return id;
    }
}
