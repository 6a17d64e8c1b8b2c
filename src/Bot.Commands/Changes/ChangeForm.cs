using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// The ops guide's change request template as a Slack form (<c>/sb change new</c>): title, type (category), priority,
/// description, business justification, technical details (the function and version, or publish), risk level,
/// impact, mitigation, testing plan, rollback plan. A submission produces the same deploy change as <c>/sb deploy</c>,
/// with the template shown on its card.
/// </summary>
public sealed class ChangeForm(DeployPlanner planner, ChangeRequester requester, IOptions<SecureBaseOptions> options) : IInteractionHandler
{
    public const string CallbackId = "change.new";

    public IReadOnlyCollection<string> Ids { get; } = [CallbackId];

    private static readonly (string Id, string Label, bool Multiline, bool Optional, string? Hint)[] TextFields =
    [
        ("title", "Title", false, false, "Deploy user-management 1.8.0"),
        ("function", "Function", false, false, "user-management or securebase-prod-user-management"),
        ("version", "Version (a published number, or \"publish\" to publish $LATEST)", false, false, "8 or publish"),
        ("description", "Description", true, false, null),
        ("justification", "Business justification", true, false, null),
        ("technical", "Technical details", true, true, null),
        ("impact", "Impact", true, false, null),
        ("mitigation", "Mitigation", true, true, null),
        ("testing", "Testing plan", true, false, null),
        ("rollback", "Rollback plan", true, false, "Move the PROD alias back to the previous version (one click on the card for 24 h)"),
        ("incident", "PagerDuty incident (Emergency break-glass)", false, true, "P1ABCDE"),
    ];

    public static Form View() => new()
    {
        CallbackId = CallbackId,
        Title = "Change request",
        Submit = "Request",
        Close = "Cancel",
        Fields =
        [
            new ChoiceField("environment", "Environment", ["prod", "staging", "dev"]),
            new ChoiceField("category", "Type", ["standard", "emergency", "major"]),
            new ChoiceField("priority", "Priority", ["low", "medium", "high", "critical"]),
            new ChoiceField("risk", "Risk level", ["low", "medium", "high"]),
            .. TextFields.Select(f => (FormField)new TextField(f.Id, f.Label) { Optional = f.Optional, Multiline = f.Multiline, Placeholder = f.Hint }),
        ],
    };

    public Task HandleAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken) =>
        requester.AuditedAsync(request.User, request.RequestId, "change form", () => SubmitAsync(request, reply, cancellationToken), cancellationToken);

    private async Task SubmitAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken)
    {
        string? Value(string id) => request.ViewValues.GetValueOrDefault($"{id}.value") is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        string Required(string id, string label) => Value(id) ?? throw new UsageException(Line.Of("The form needs ", Strong(label), "."));

        var data = new ChangeData
        {
            Category = ChangeFlags.ParseCategory(Value("category")),
            Risk = Value("risk") ?? "medium",
            Reason = Bound(Required("justification", "Business justification"), 500),
            Template = new ChangeTemplate
            {
                Title = Bound(Required("title", "Title"), 120),
                Priority = Value("priority") ?? "medium",
                Description = Bound(Required("description", "Description"), 2000),
                BusinessJustification = Bound(Value("justification") ?? "", 2000),
                TechnicalDetails = Bound(Value("technical") ?? "", 2000),
                Impact = Bound(Required("impact", "Impact"), 1000),
                Mitigation = Bound(Value("mitigation") ?? "", 1000),
                TestingPlan = Bound(Required("testing", "Testing plan"), 1000),
                RollbackPlan = Bound(Required("rollback", "Rollback plan"), 1000),
            },
        };
        if (Value("incident") is { } incident)
        {
            if (incident.Length > 40 || !incident.All(char.IsAsciiLetterOrDigit)) throw new UsageException(Line.Of("The incident is a PagerDuty id such as ", Code("P1ABCDE"), "."));
            data.IncidentId = incident;
            data.IncidentVerifiedOpen = await requester.IncidentIsOpenAsync(incident, cancellationToken);
        }
        var target = ChangeTarget.Resolve(options.Value, Required("function", "Function"), Value("environment"));
        var version = Required("version", "Version");
        var publish = version.Equals("publish", StringComparison.OrdinalIgnoreCase);
        data.Spec.Function = target.Function;
        if (await requester.CheckRulesAsync(request.User, request.RequestId, data, cancellationToken)) return;
        await planner.PlanAsync(target, publish ? null : version, publish, data, request.User.UserName, cancellationToken);
        await requester.SubmitAsync(request.User, request.RequestId, reply, data, cancellationToken);
    }

    private static string Bound(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
