using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>The flags every change command shares: environment, reason, category, incident, security.</summary>
public static class ChangeFlags
{
    public static readonly FlagSpec Env = new("env", "Environment: prod (default), staging or dev. Outside prod a change runs at once, still audited.", ValueHint: "prod");
    public static readonly FlagSpec Reason = new("reason", "Why: shown on the card and kept in the audit trail.", ValueHint: "\"…\"");
    public static readonly FlagSpec Category = new("category", "standard (default: one approver, 24 h), emergency (4 h, may skip the staging check, break-glass with --incident) or major (a tech lead and an ops manager, 7 days).", ValueHint: "standard");
    public static readonly FlagSpec Incident = new("incident", "The PagerDuty incident this change answers (needed to break the glass).", ValueHint: "P1ABCDE");
    public static readonly FlagSpec Security = new("security", "The change is security-relevant: someone from security must approve too.", TakesValue: false);

    public static readonly IReadOnlyList<FlagSpec> All = [Env, Reason, Category, Incident, Security];

    /// <summary>For alias moves: clear a weighted routing explicitly (without it, a weighted alias refuses the move).</summary>
    public static readonly FlagSpec ClearWeights = new("clear-weights", "The PROD alias splits traffic between versions: clear the weights, so the new version gets all of it (the card says so).", TakesValue: false);

    /// <summary>An alias that splits its traffic is moved only when the request says to clear the weights.</summary>
    public static void CheckWeights(AliasState alias, bool clear, string verb)
    {
        if (alias.Weights.Count == 0 || clear) return;
        var split = string.Join(", ", alias.Weights.Select(w => $"{ChangeSpec.Share(w.Value)} to v{w.Key}").Prepend($"{ChangeSpec.Share(1 - alias.Weights.Values.Sum())} to v{alias.Version}"));
        throw new ChangeRefusedException("weighted-routing", Line.Of(Emoji("no_entry"), " ", Code(alias.Alias), " of ", Code(alias.Function), " splits its traffic (", split,
            $", AdditionalVersionWeights). A {verb} would end that split; say so with ", Code("--clear-weights"), " (the card shows it), or clear the weights first. Nothing was requested."));
    }

    public static ChangeCategory ParseCategory(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "standard" => ChangeCategory.Standard,
        "emergency" => ChangeCategory.Emergency,
        "major" => ChangeCategory.Major,
        _ => throw new UsageException(Line.Of(Code("--category"), " is standard, emergency or major.")),
    };

    /// <summary>Reads the shared flags into <paramref name="data"/>, checking an incident with PagerDuty.</summary>
    public static async Task ApplyAsync(CommandContext context, ChangeData data, ChangeRequester requester, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        data.Reason = (args.Flag("reason") ?? "").Trim();
        if (data.Reason.Length > 500) throw new UsageException(Line.Of(Code("--reason"), " is at most 500 characters."));
        data.Category = ParseCategory(args.Flag("category"));
        data.SecurityRelevant |= args.Has("security");
        if (data.Category == ChangeCategory.Emergency && data.Reason.Length == 0)
            throw new UsageException(Line.Of("An Emergency change needs ", Code("--reason \"…\""), "."));
        if (args.Flag("incident") is { } incident)
        {
            incident = incident.Trim();
            if (incident.Length is 0 or > 40 || !incident.All(char.IsAsciiLetterOrDigit))
                throw new UsageException(Line.Of(Code("--incident"), " is a PagerDuty incident id such as ", Code("P1ABCDE"), "."));
            data.IncidentId = incident;
            data.IncidentVerifiedOpen = await requester.IncidentIsOpenAsync(incident, cancellationToken);
        }
    }
}
