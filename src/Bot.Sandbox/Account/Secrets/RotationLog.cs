using System.Globalization;

namespace Bot.Sandbox.Account.Secrets;

/// <summary>
/// What the rotation function (<c>securebase-&lt;env&gt;-secret-rotation</c>, Python) writes to its log group for one
/// rotation: per step a START, an INFO line (or the ERROR and the unhandled ValueError when testSecret fails), END and
/// REPORT (the first with an Init Duration, as a cold start). Lines carry their own times, so the lines of steps
/// still to come appear as the account's clock reaches them.
/// </summary>
internal static class RotationLog
{
    private static readonly string[] Steps = ["createSecret", "setSecret", "testSecret", "finishSecret"];

    public static IEnumerable<(long At, string Stream, string Message)> Lines(int seed, SandboxSecret secret, RotationRun run)
    {
        var stream = $"{run.Start.UtcDateTime:yyyy'/'MM'/'dd}/[$LATEST]{Deterministic.Guid(seed, "rotation-stream:" + run.VersionId):N}";
        var steps = run.FailsAtTest ? 3 : 4;
        for (var i = 0; i < steps; i++)
        {
            var step = Steps[i];
            var requestId = Deterministic.Guid(seed, $"rotation-request:{run.VersionId}", i).ToString();
            var start = (run.Start + run.Step * i).ToUnixTimeMilliseconds() + 40;
            var end = (run.Start + run.Step * (i + 1)).ToUnixTimeMilliseconds() - 60;
            var duration = Math.Max(5, end - start - 20 - Deterministic.Unit(seed, "rotation-duration:" + requestId, 0) * (end - start) * 0.3);
            yield return (start, stream, $"START RequestId: {requestId} Version: $LATEST");
            var failing = run.FailsAtTest && step == "testSecret";
            yield return (start + 8, stream, Line("INFO", start + 8, requestId, Message(step, secret, run, ok: true, starting: true)));
            if (failing)
            {
                var reason = Message(step, secret, run, ok: false, starting: false);
                yield return (start + (long)duration - 4, stream, Line("ERROR", start + (long)duration - 4, requestId, reason));
                yield return (start + (long)duration - 2, stream,
                    $"[ERROR] ValueError: {reason}\nTraceback (most recent call last):\n  File \"/var/task/lambda_function.py\", line 74, in lambda_handler\n    test_secret(service_client, arn, token)\n  File \"/var/task/lambda_function.py\", line 168, in test_secret\n    raise ValueError(\"{reason}\")");
            }
            else yield return (start + (long)duration - 2, stream, Line("INFO", start + (long)duration - 2, requestId, Message(step, secret, run, ok: true, starting: false)));
            yield return (start + (long)duration, stream, $"END RequestId: {requestId}");
            var init = i == 0 ? string.Create(CultureInfo.InvariantCulture, $"\tInit Duration: {380 + Deterministic.Unit(seed, "rotation-init:" + requestId, 0) * 120:0.00} ms") : "";
            yield return (start + (long)duration, stream, string.Create(CultureInfo.InvariantCulture,
                $"REPORT RequestId: {requestId}\tDuration: {duration:0.00} ms\tBilled Duration: {Math.Ceiling(duration):0} ms\tMemory Size: 128 MB\tMax Memory Used: {74 + (int)(Deterministic.Unit(seed, "rotation-mem:" + requestId, 0) * 12)} MB{init}\t"));
        }
    }

    private static string Message(string step, SandboxSecret secret, RotationRun run, bool ok, bool starting)
    {
        if (starting) return $"{step}: starting for secret {secret.Arn} version {run.VersionId}";
        if (!ok) return $"testSecret: Unable to sign in with the pending secret of secret arn {secret.Arn}";
        return step switch
        {
            "createSecret" => $"createSecret: Successfully put secret for ARN {secret.Arn} and version {run.VersionId}.",
            "setSecret" => $"setSecret: Successfully set the new credentials on the service for secret arn {secret.Arn}.",
            "testSecret" => $"testSecret: Successfully signed in with the pending secret of secret arn {secret.Arn}.",
            _ => $"finishSecret: Successfully set AWSCURRENT stage to version {run.VersionId} for secret {secret.Arn}.",
        };
    }

    private static string Line(string level, long at, string requestId, string text) =>
        $"[{level}]\t{DateTimeOffset.FromUnixTimeMilliseconds(at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\t{requestId}\t{text}";
}
