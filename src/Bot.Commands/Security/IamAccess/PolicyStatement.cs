using System.Text.Json;

namespace Bot.Commands.Security.IamAccess;

/// <summary>One statement of an IAM policy document, in a normal form the review compares and flags.</summary>
public sealed record PolicyStatement(string Source, string Sid, string Effect, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, bool NotAction, bool NotResource,
    bool Conditional)
{
    /// <summary>The statement as one comparable line: <c>inline x / Sid: Allow a,b on r1,r2</c>.</summary>
    public string Normal => $"{Source} / {Sid}: {Effect} {(NotAction ? "all but " : "")}{string.Join(",", Actions)} on {(NotResource ? "all but " : "")}{string.Join(",", Resources)}{(Conditional ? " (with conditions)" : "")}";

    /// <summary>
    /// What the review flags in an Allow statement: an action that is <c>*</c> or a whole service (<c>s3:*</c>), or
    /// <c>NotAction</c>; a resource that is <c>*</c>, or <c>NotResource</c>; writes on resources outside <c>securebase-*</c>.
    /// </summary>
    public IReadOnlyList<string> Findings()
    {
        if (!Effect.Equals("Allow", StringComparison.OrdinalIgnoreCase)) return [];
        var findings = new List<string>();
        var wildcard = Actions.Where(a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal)).ToList();
        if (NotAction) findings.Add($"{Source} / {Sid}: allows every action but {string.Join(",", Actions)} (NotAction)");
        else if (wildcard.Count > 0) findings.Add($"{Source} / {Sid}: wildcard action {string.Join(",", wildcard)}");
        if (NotResource) findings.Add($"{Source} / {Sid}: every resource but {string.Join(",", Resources)} (NotResource)");
        else if (Resources.Contains("*")) findings.Add($"{Source} / {Sid}: resource *");
        var writes = NotAction ? ["(NotAction)"] : Actions.Where(IsWrite).ToList();
        var outside = NotResource ? ["(NotResource)"] : Resources.Where(r => !IsSecureBase(r)).ToList();
        if (writes.Count > 0 && outside.Count > 0)
            findings.Add($"{Source} / {Sid}: writes ({string.Join(",", writes)}) outside securebase-* ({string.Join(",", outside)})");
        return findings;
    }

    /// <summary>A read: Get/List/Describe/Query/Scan/BatchGet/Head/Lookup/Select/Search/View (IAM's read-only verbs); anything else writes, wildcards included.</summary>
    public static bool IsWrite(string action)
    {
        var verb = action.Contains(':') ? action[(action.IndexOf(':') + 1)..] : action;
        string[] reads = ["Get", "List", "Describe", "Query", "Scan", "BatchGet", "Head", "Lookup", "Select", "Search", "View"];
        return verb.Length == 0 || verb.Contains('*') || !reads.Any(r => verb.StartsWith(r, StringComparison.Ordinal));
    }

    /// <summary>Whether a resource ARN (or pattern) names SecureBase resources only: its resource part starts with, or sits under a path that starts with, <c>securebase-</c>.</summary>
    public static bool IsSecureBase(string resource)
    {
        if (resource == "*") return false;
        var parts = resource.Split(':');
        var name = parts.Length >= 6 ? string.Join(':', parts.Skip(5)) : resource;
        return name.Split(['/', ':']).Any(segment => segment.StartsWith("securebase-", StringComparison.Ordinal));
    }

    /// <summary>The statements of a policy document (Statement as an object or an array; Action/Resource as a string or an array).</summary>
    public static IReadOnlyList<PolicyStatement> Parse(string source, string document)
    {
        using var doc = JsonDocument.Parse(document);
        if (!doc.RootElement.TryGetProperty("Statement", out var statement)) return [];
        var list = statement.ValueKind == JsonValueKind.Array ? statement.EnumerateArray().ToList() : [statement];
        return list.Select((s, i) =>
        {
            var notAction = s.TryGetProperty(nameof(NotAction), out var na);
            var notResource = s.TryGetProperty(nameof(NotResource), out var nr);
            return new PolicyStatement(source,
                s.TryGetProperty(nameof(Sid), out var sid) && sid.GetString() is { Length: > 0 } id ? id : $"#{i + 1}",
                s.TryGetProperty(nameof(Effect), out var effect) ? effect.GetString() ?? "?" : "?",
                Strings(notAction ? na : s.TryGetProperty("Action", out var a) ? a : default),
                Strings(notResource ? nr : s.TryGetProperty("Resource", out var r) ? r : default),
                notAction, notResource, s.TryGetProperty("Condition", out _));
        }).ToList();
    }

    private static List<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Array => e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).Order(StringComparer.Ordinal).ToList(),
        _ => [],
    };
}
