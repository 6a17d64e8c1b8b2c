using System.Text.Json;
using Bot.Workflows.Engine;
using Stateless;

namespace Bot.Workflows.AccessReviews;

public enum AccessReviewState { Kept }

public enum AccessReviewTrigger
{
    /// <summary>A person reviewed some functions' roles: their snapshots replace the earlier ones.</summary>
    Record,
}

/// <summary>
/// What one access review saw of a function's execution role: the role, each policy statement in a normal form (source,
/// statement id, effect, actions, resources), the findings, when IAM last saw the role used, and who reviewed it when;
/// and how many statements it found added and removed since the review before (for the weekly review).
/// </summary>
public sealed record RoleSnapshot(
    string Function,
    string Role,
    IReadOnlyList<string> Statements,
    IReadOnlyList<string> Findings,
    DateTimeOffset? LastUsed,
    DateTimeOffset ReviewedAt,
    string ReviewedBy)
{
    public int Added { get; init; }
    public int Removed { get; init; }
}

public sealed class AccessReviewData
{
    public string Environment { get; set; } = "";
    /// <summary>The latest snapshot of each function reviewed, by function name.</summary>
    public Dictionary<string, RoleSnapshot> Functions { get; set; } = new(StringComparer.Ordinal);
    public int Reviews { get; set; }
}

/// <summary>
/// The guide's access review, kept: one per environment, holding the latest snapshot of each function's execution role, so
/// the next review shows what changed since. Every review is a transition (saved with its audit record: who reviewed which
/// functions and what they found). No card and no timers: the command shows the result.
/// </summary>
public sealed class AccessReview : WorkflowAggregate<AccessReviewState, AccessReviewTrigger, AccessReviewData>
{
    public const string Type = "access-review";
    public static readonly WorkflowDefinition<AccessReview> Definition = new(Type, id => new AccessReview(id));
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AccessReview(string id) : base(id, AccessReviewState.Kept) { }

    public override string AggregateType => Type;

    /// <summary>The first review of an environment.</summary>
    public static AccessReview First(string environment, IReadOnlyList<RoleSnapshot> snapshots)
    {
        var review = new AccessReview(environment) { Data = new AccessReviewData { Environment = environment, Reviews = 1 } };
        foreach (var s in snapshots) review.Data.Functions[s.Function] = s;
        return review;
    }

    /// <summary>The arguments of <see cref="AccessReviewTrigger.Record"/>.</summary>
    public static string Arguments(IReadOnlyList<RoleSnapshot> snapshots) => JsonSerializer.Serialize(snapshots, Json);

    protected override void OnCreated() => Audit(Data.Functions.Values.ToList());

    protected override void Configure(StateMachine<AccessReviewState, AccessReviewTrigger> machine) =>
        Internal(machine.Configure(AccessReviewState.Kept), AccessReviewTrigger.Record, ctx => ctx.Source == TriggerSource.Person && ctx.ArgumentsJson is not null,
            "Only a person's review records snapshots.", ctx =>
            {
                var snapshots = JsonSerializer.Deserialize<List<RoleSnapshot>>(ctx.ArgumentsJson!, Json) ?? [];
                foreach (var s in snapshots) Data.Functions[s.Function] = s;
                Data.Reviews++;
                Audit(snapshots);
            });

    private void Audit(IReadOnlyList<RoleSnapshot> snapshots)
    {
        AuditDetail("functions", string.Join(", ", snapshots.Select(s => s.Function)));
        AuditDetail("findings", snapshots.Sum(s => s.Findings.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
