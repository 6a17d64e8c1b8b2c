using System.Text.RegularExpressions;
using Bot.Commands.Redaction;

namespace Bot.Commands.Security.Rotation;

/// <summary>
/// A rotation function's error line as the thread shows it: the step of AWS's rotation template that failed
/// (createSecret, setSecret, testSecret, finishSecret) and what it said, masked; the secret's ARN shown as its name; the
/// Lambda log prefix (level, time, request id) dropped; the exception type, when the line is the unhandled error.
/// </summary>
public sealed partial record RotationErrorLine(string? Step, string Text, string? Exception)
{
    public static RotationErrorLine Read(string message, string secret)
    {
        var line = message.Split('\n')[0].Trim();
        var tab = line.LastIndexOf('\t');
        if (tab >= 0) line = line[(tab + 1)..];
        if (line.StartsWith("[ERROR]", StringComparison.Ordinal)) line = line["[ERROR]".Length..].Trim();
        line = SecretArn().Replace(line, m => m.Groups["name"].Value == secret || m.Groups["name"].Value.StartsWith(secret + "-", StringComparison.Ordinal) ? secret : m.Value);
        var step = StepPattern().Match(line);
        return step.Success
            ? new RotationErrorLine(step.Groups["step"].Value, Redactor.Redact(step.Groups["text"].Value.Trim()), step.Groups["exception"].Success ? step.Groups["exception"].Value : null)
            : new RotationErrorLine(null, Redactor.Redact(line), null);
    }

    public override string ToString() => (Step is null ? Text : $"{Step}: {Text}") + (Exception is null ? "" : $" ({Exception})");

    [GeneratedRegex(@"arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:(?<name>[A-Za-z0-9/_+=.@-]+)")]
    private static partial Regex SecretArn();

    [GeneratedRegex(@"^(?:(?<exception>\w+(?:Error|Exception)): )?(?<step>createSecret|setSecret|testSecret|finishSecret): (?<text>.*)$")]
    private static partial Regex StepPattern();
}
