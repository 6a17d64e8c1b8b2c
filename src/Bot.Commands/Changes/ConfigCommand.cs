using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Bot.Workflows.Changes;
using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// <c>/sb config &lt;function&gt; set KEY=VALUE … | unset KEY … | --memory &lt;MB&gt; | --timeout &lt;s&gt;</c>: a configuration change.
/// Values of keys that look secret are masked everywhere (card, audit trail, logs); the card shows the diff. The change
/// binds to the function's revision at the request, so it never overwrites a change it did not see.
/// </summary>
public sealed partial class ConfigCommand(ICloud cloud, ChangeRequester requester, ValueSealer sealer, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "config",
        Summary = "Request a configuration change: environment variables, memory, timeout (secret-looking values are masked).",
        Usage = "/sb config <function> set KEY=VALUE … | unset KEY … [--memory <MB>] [--timeout <s>] [--env prod|staging] [--reason \"…\"]",
        Flags =
        [
            new FlagSpec("memory", "Memory in MB (128–10240).", ValueHint: "1024"),
            new FlagSpec("timeout", "Timeout in seconds (1–900).", ValueHint: "30"),
            .. ChangeFlags.All,
        ],
        Examples = ["/sb config user-management set LOG_LEVEL=debug --reason \"chasing invite errors\"", "/sb config report-engine --memory 2048 --timeout 120", "/sb config user-management unset FEATURE_X"],
        ChangesState = true,
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) => requester.AuditedAsync(context, async () =>
    {
        var args = context.Arguments;
        var target = ChangeTarget.Resolve(options.Value, args.Positional(0), args.Flag("env"));
        var (sets, unsets) = ParseEdits(args.Positionals.Skip(1).ToList());
        var memory = Range(args.Flag("memory"), "--memory", 128, 10240);
        var timeout = Range(args.Flag("timeout"), "--timeout", 1, 900);
        if (sets.Count == 0 && unsets.Count == 0 && memory is null && timeout is null)
            throw new UsageException(Line.Of("What should change? ", Code("set KEY=VALUE"), ", ", Code("unset KEY"), ", ", Code("--memory"), " or ", Code("--timeout"), "."));

        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);
        var settings = await ChangeReads.ReadAsync(Line.Of("the configuration of ", Code(target.Function)), () => cloud.GetSettingsAsync(target.Function, cancellationToken));

        var spec = new ChangeSpec { Kind = ChangeKind.Configuration, Environment = target.Environment, Function = target.Function, Alias = ChangeTarget.Alias, SettingsRevisionId = settings.RevisionId };
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in sets)
        {
            var secret = ChangeSpec.LooksSecret(key);
            var old = settings.Environment.TryGetValue(key, out var o) ? o : null;
            if (old == value) continue;
            spec.Edits.Add(new ConfigEdit(key, old is null ? null : secret ? spec.Mask(old) : old, secret ? spec.Mask(value) : value, secret));
            if (secret)
            {
                secrets[key] = value;
                spec.SealedValueHashes[key] = spec.Fingerprint(value);
            }
        }
        foreach (var key in unsets)
        {
            if (!settings.Environment.TryGetValue(key, out var old))
                throw new UserFacingException(Line.Of(Emoji("information_source"), " ", Code(target.Function), " has no variable ", Code(key), " to unset."));
            var secret = ChangeSpec.LooksSecret(key);
            spec.Edits.Add(new ConfigEdit(key, secret ? spec.Mask(old) : old, null, secret));
        }
        if (memory is { } m && m != settings.MemoryMb) (spec.MemoryFrom, spec.MemoryTo) = (settings.MemoryMb, m);
        if (timeout is { } t && t != settings.TimeoutSeconds) (spec.TimeoutFrom, spec.TimeoutTo) = (settings.TimeoutSeconds, t);
        if (spec.Edits.Count == 0 && spec.MemoryTo is null && spec.TimeoutTo is null)
            throw new UserFacingException(Line.Of(Emoji("information_source"), " The configuration already looks like that; nothing to change."));

        data.SecurityRelevant |= spec.Edits.Any(e => e.Secret);
        data.Spec = spec;
        if (secrets.Count > 0) data.Sealed = await SealAsync(target.Function, secrets, cancellationToken);
        await requester.SubmitAsync(context, data, cancellationToken);
    }, cancellationToken);

    /// <summary>The secret values, encrypted until the change runs (and erased when it ends); a refusal when there is no key to do it with.</summary>
    private async Task<Bot.Workflows.Changes.Sealing.SealedValues> SealAsync(string function, Dictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        try
        {
            return await sealer.SealAsync(function, secrets, cancellationToken);
        }
        catch (PortException e)
        {
            throw new ChangeRefusedException("secrets-sealed", Line.Of(Emoji("no_entry"), " I cannot keep the new secret value(s) encrypted until the change runs (", e.Message,
                "), and I never keep them in clear. Nothing was requested."));
        }
    }

    internal static (List<(string Key, string Value)> Sets, List<string> Unsets) ParseEdits(IReadOnlyList<string> words)
    {
        var sets = new List<(string, string)>();
        var unsets = new List<string>();
        string? mode = null;
        foreach (var word in words)
        {
            if (word is "set" or "unset")
            {
                mode = word;
                continue;
            }
            if (mode is null) throw new UsageException(Line.Of(Shown(word), ": start with ", Code("set KEY=VALUE"), " or ", Code("unset KEY"), "."));
            if (mode == "set")
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new UsageException(Line.Of(Shown(word), " is not ", Code("KEY=VALUE"), "."));
                var key = word[..eq];
                CheckKey(key);
                sets.Add((key, word[(eq + 1)..]));
            }
            else
            {
                CheckKey(word);
                unsets.Add(word);
            }
        }
        var keys = sets.Select(s => s.Item1).Concat(unsets).ToList();
        if (keys.Count != keys.Distinct(StringComparer.Ordinal).Count()) throw new UsageException("Each key may appear once.");
        return (sets, unsets);
    }

    private static void CheckKey(string key)
    {
        if (!EnvKey().IsMatch(key)) throw new UsageException(Line.Of(Shown(key), " is not a valid variable name (letters, digits and _, starting with a letter)."));
        if (key.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)) throw new UsageException(Line.Of("Variables starting with ", Code("AWS_"), " are reserved by Lambda."));
    }

    private static int? Range(string? text, string flag, int min, int max)
    {
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new UsageException(Line.Of(Code(flag), $" is a whole number from {min} to {max}."));
        return n;
    }

    /// <summary>A word someone typed, as code: at most 40 characters (then "…"), a backtick shown as <c>'</c>.</summary>
    private static CodeSpan Shown(string text) => Code((text.Length > 40 ? text[..40] + "…" : text).Replace("`", "'", StringComparison.Ordinal));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvKey();
}
