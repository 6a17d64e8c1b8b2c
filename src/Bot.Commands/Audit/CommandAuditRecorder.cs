using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Commands.Routing;
using Bot.Workflows.Audit;
using Bot.Workflows.Changes;
using Microsoft.Extensions.Logging;

namespace Bot.Commands.Audit;

/// <summary>
/// The first step of every <c>/sb</c> request (<see cref="ICommandMiddleware"/>), whichever transport brought it: an
/// audit record (who, which verb, the arguments with anything secret-looking redacted, the request id, the transport)
/// before anything else happens, so refused and unknown commands are on the trail too. A record that cannot be written
/// is logged and the command still runs: an audit store outage must not take the bot's read commands down with it.
/// </summary>
public sealed partial class CommandAuditRecorder(IAuditLog audit, TimeProvider time, ILogger<CommandAuditRecorder> logger) : ICommandMiddleware
{
    /// <summary>What a repeat of a delivery whose answer went in the ack is told.</summary>
    public const string AnsweredInTheAck = "answered in the ack";
    /// <summary>How long a delivery's key is remembered (Slack retries within minutes; a day is plenty).</summary>
    public static readonly TimeSpan ReplayRetention = TimeSpan.FromDays(1);

    public async Task<string> InvokeAsync(CommandTurn turn, IReplyChannel? reply, Func<Task<string>> next, CancellationToken cancellationToken)
    {
        await RecordAsync(turn.Request, turn.Words, cancellationToken);
        return await next();
    }

    private async Task RecordAsync(CommandRequest request, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        try
        {
            var verb = words.Count == 0 ? CommandRouter.HelpVerb : Redact(words[0], 40);
            var draft = new AuditDraft
            {
                At = time.GetUtcNow(),
                ActorId = request.User.UserId,
                ActorName = request.User.UserName,
                Action = $"command:{CommandRouter.SlashCommand} {verb}",
                RequestId = request.RequestId,
                DetailsJson = JsonSerializer.Serialize(new
                {
                    args = RedactArguments(words.Skip(1).ToList()),
                    channel = request.ChannelId,
                    transport = request.Transport.ToString().ToLowerInvariant(),
                }),
            };
            if (request.ReplayKey is not { } key) await audit.AppendAsync(draft, cancellationToken);
            else if (await audit.AppendOnceAsync(draft, key, AnsweredInTheAck, ReplayRetention, cancellationToken) is null)
                logger.LogWarning("Slack delivery {Key} seen before: a replay or redelivery, not recorded again", key);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not write the audit record for request {RequestId}", request.RequestId);
        }
    }

    /// <summary>
    /// Arguments as recorded (before the record is hashed into the chain): values of secret-named flags, of secret-looking
    /// <c>KEY=VALUE</c> pairs (the rule the change card masks by, <see cref="ChangeSpec.LooksSecret"/>) and secret-looking
    /// words become <c>***</c>.
    /// </summary>
    public static string RedactArguments(IReadOnlyList<string> words)
    {
        var result = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (!word.StartsWith('-') && word.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq && IsSecretName(word[..eq]))
            {
                result.Add($"{Redact(word[..eq], 80)}=***");
                continue;
            }
            var flag = FlagName().Match(word);
            if (flag.Success && IsSecretName(flag.Groups[1].Value))
            {
                if (flag.Groups[2].Success) result.Add($"--{flag.Groups[1].Value}=***");
                else
                {
                    result.Add(word);
                    if (i + 1 < words.Count) { result.Add("***"); i++; }
                }
                continue;
            }
            result.Add(Redact(word, 80));
        }
        var joined = string.Join(' ', result);
        return joined.Length <= 300 ? joined : joined[..300] + "…";
    }

    private static bool IsSecretName(string name) => SecretName().IsMatch(name) || ChangeSpec.LooksSecret(name);

    private static string Redact(string word, int max)
    {
        if (SecretValue().IsMatch(word)) return "***";
        return word.Length <= max ? word : word[..max] + "…";
    }

    [GeneratedRegex(@"^--([A-Za-z0-9_-]+)(=.*)?$")]
    private static partial Regex FlagName();

    [GeneratedRegex(@"(token|secret|password|passwd|key|credential)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <summary>Slack tokens, AWS access keys, PagerDuty-style and other long opaque strings.</summary>
    [GeneratedRegex(@"(xox[abposr]-|xapp-|AKIA[0-9A-Z]{12,}|ASIA[0-9A-Z]{12,}|^[A-Za-z0-9+/=_-]{32,}$)")]
    private static partial Regex SecretValue();
}
