using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud;

/// <summary>
/// The SecureBase resources per environment, bound from <c>SecureBase:Environments:&lt;env&gt;:…</c>.
/// prod, staging and dev exist by default with the ops guide's <c>securebase-&lt;env&gt;-…</c> names;
/// any list left empty gets those defaults.
/// </summary>
public sealed class SecureBaseOptions
{
    public const string Section = "SecureBase";
    public static readonly string[] DefaultEnvironmentNames = ["prod", "staging", "dev"];

    /// <summary>Used when a command names no environment.</summary>
    public string DefaultEnvironment { get; set; } = "prod";

    /// <summary>How long each area of <c>/sb health</c> may take before it shows as ⚠️.</summary>
    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public Dictionary<string, SecureBaseEnvironment> Environments { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The AWS account id, for the default reports bucket names (<c>securebase-&lt;env&gt;-reports-&lt;account&gt;</c>); the sandbox sets its own.</summary>
    public string? AccountId { get; set; }

    /// <summary>The environment's reports bucket: configured, or the ops guide's name with <see cref="AccountId"/>; null when neither is known.</summary>
    public string? ReportsBucketOf(SecureBaseEnvironment env) =>
        !string.IsNullOrWhiteSpace(env.ReportsBucket) ? env.ReportsBucket.Trim()
        : !string.IsNullOrWhiteSpace(AccountId) ? $"securebase-{env.Name}-reports-{AccountId.Trim()}" : null;

    /// <summary>Adds the default environments and fills empty lists with the default names.</summary>
    public void ApplyDefaults()
    {
        var copy = new Dictionary<string, SecureBaseEnvironment>(Environments, StringComparer.OrdinalIgnoreCase);
        foreach (var name in DefaultEnvironmentNames) copy.TryAdd(name, new SecureBaseEnvironment());
        foreach (var (name, env) in copy) env.ApplyDefaults(name);
        Environments = copy;
    }

    /// <summary>The environment's resources, or a message saying which environments exist.</summary>
    public SecureBaseEnvironment Get(string? name)
    {
        name = string.IsNullOrWhiteSpace(name) ? DefaultEnvironment : name.Trim();
        if (Environments.TryGetValue(name, out var env)) return env;
        throw new Routing.UserFacingException(Line.Of("There is no environment ", Value(name, 30), ". Configured: ",
            Line.Join(", ", Environments.Keys.Order().Select(k => Line.Of(Code(k)))), ". Add others under ", Code("SecureBase:Environments"), "."));
    }
}

public sealed class SecureBaseEnvironment
{
    public string Name { get; set; } = "";
    public List<string> Tables { get; set; } = [];
    public List<string> Functions { get; set; } = [];
    /// <summary>Log group per function; defaults to <c>/aws/lambda/&lt;function&gt;</c>.</summary>
    public Dictionary<string, string> LogGroups { get; set; } = new(StringComparer.Ordinal);
    /// <summary>API Gateway REST API names (the <c>ApiName</c> metric dimension).</summary>
    public List<string> ApiNames { get; set; } = [];
    /// <summary>Alarms whose names start with this belong to the environment.</summary>
    public string? AlarmPrefix { get; set; }
    /// <summary>The reports bucket (default <c>securebase-&lt;env&gt;-reports-&lt;SecureBase:AccountId&gt;</c>).</summary>
    public string? ReportsBucket { get; set; }

    public static IReadOnlyList<string> DefaultFunctionSuffixes { get; } = ["user-management", "session-management", "report-engine"];
    public static IReadOnlyList<string> DefaultTableSuffixes { get; } = ["user-sessions", "user-invites", "activity-feed", "reports"];

    public void ApplyDefaults(string name)
    {
        Name = name;
        if (Tables.Count == 0) Tables = DefaultTableSuffixes.Select(s => $"securebase-{name}-{s}").ToList();
        if (Functions.Count == 0) Functions = DefaultFunctionSuffixes.Select(s => $"securebase-{name}-{s}").ToList();
        if (ApiNames.Count == 0) ApiNames = [$"securebase-{name}-api"];
        AlarmPrefix ??= $"securebase-{name}-";
    }

    public string LogGroupOf(string function) =>
        LogGroups.TryGetValue(function, out var group) && !string.IsNullOrWhiteSpace(group) ? group : $"/aws/lambda/{function}";

    /// <summary>A configured function by full name or by its short name (<c>user-management</c>).</summary>
    public string? FindFunction(string nameOrSuffix) => Find(Functions, nameOrSuffix);

    /// <summary>A configured table by full name or short name (<c>user-sessions</c>).</summary>
    public string? FindTable(string nameOrSuffix) => Find(Tables, nameOrSuffix);

    private string? Find(List<string> names, string wanted)
    {
        wanted = wanted.Trim();
        return names.FirstOrDefault(n => n.Equals(wanted, StringComparison.OrdinalIgnoreCase))
               ?? names.FirstOrDefault(n => n.Equals($"securebase-{Name}-{wanted}", StringComparison.OrdinalIgnoreCase));
    }
}
