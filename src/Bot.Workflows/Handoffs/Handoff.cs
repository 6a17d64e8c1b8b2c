using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Handoffs;

/// <summary>
/// An on-call handoff (the ops guide's escalation path, at each shift change): when the pager's on-call for the first level of
/// the SecureBase policy changes, a card in the ops channel tells the incoming engineer what they take over — open incidents,
/// changes being verified, unreviewed break-glass changes, alarms in ALARM — mentioning the outgoing and the incoming engineer.
/// The incoming one clicks <em>I have it</em> (Waiting → Claimed); nobody else can for them. Unclaimed after
/// <see cref="HandoffData.ClaimWithin"/> the thread reminds them, and after as long again it mentions the next level. A shift
/// change the bot only learns of (its first look, or one long past) is Noted: recorded, nothing posted.
/// </summary>
public sealed class Handoff : WorkflowAggregate<HandoffState, HandoffTrigger, HandoffData>
{
    public const string Type = "handoff";

    public static readonly WorkflowDefinition<Handoff> Definition = new(Type, id => new Handoff(id, HandoffState.Waiting));

    private Handoff(string id, HandoffState initial) : base(id, initial) { }

    public override string AggregateType => Type;

    /// <summary>The card lives in the ops channel; a noted shift change has none.</summary>
    public override string? CardChannel => CurrentState == HandoffState.Noted || Data.Channel.Length == 0 ? null : Data.Channel;

    /// <summary>A handoff to post: its card, the mentions, the reminders.</summary>
    public static Handoff Post(string id, HandoffData data) => new(id, HandoffState.Waiting) { Data = data };

    /// <summary>A shift change only recorded (nothing posted), saying why.</summary>
    public static Handoff Note(string id, HandoffData data, string why)
    {
        data.NotedBecause = why;
        return new Handoff(id, HandoffState.Noted) { Data = data };
    }

    protected override void Configure(StateMachine<HandoffState, HandoffTrigger> machine)
    {
        machine.Configure(HandoffState.Waiting)
            .PermitIf(On(HandoffTrigger.Claim), HandoffState.Claimed, Guard(ctx => WhyNot(ctx) is null, "Only the incoming engineer says they have it."))
            .InternalTransitionIf(On(HandoffTrigger.Remind), ctx => ctx.Source == TriggerSource.Timer && Data.Reminders == 0, (ctx, _) => Remind(ctx), "remind the incoming engineer")
            .InternalTransitionIf(On(HandoffTrigger.CallNextLevel), ctx => ctx.Source == TriggerSource.Timer && !Data.NextLevelCalled, (ctx, _) => CallNextLevel(ctx),
                "mention the next level");
        machine.Configure(HandoffState.Claimed)
            .OnEntryFrom(On(HandoffTrigger.Claim), Claimed, "say who has it; no more reminders");
    }

    /// <summary>"I have it" means the same on any version of the card.</summary>
    protected override bool IsIntent(HandoffTrigger trigger) => trigger == HandoffTrigger.Claim;

    protected override void OnCreated()
    {
        var ctx = Context;
        AuditDetail("incoming", Data.Incoming.Name);
        AuditDetail("outgoing", Data.Outgoing?.Name);
        if (CurrentState == HandoffState.Noted)
        {
            AuditDetail("noted", Data.NotedBecause);
            return;
        }
        Timeline(Line.Of([.. (Data.Outgoing is { } outgoing ? [Mention(outgoing), new TextSpan(" → ")] : Array.Empty<Span>()), Mention(Data.Incoming),
            $": the on-call for {Data.LevelName} changes. ", Mention(Data.Incoming), ", read the handoff and click ", Strong("I have it"), "."]));
        SetTimer("remind", HandoffTrigger.Remind, ctx.Now + Data.ClaimWithin, null);
        SetTimer("next-level", HandoffTrigger.CallNextLevel, ctx.Now + 2 * Data.ClaimWithin, null);
    }

    /// <summary>Why <paramref name="ctx"/>'s person may not say they have it; null when they may.</summary>
    private string? WhyNot(FireContext ctx)
    {
        if (ctx.Source != TriggerSource.Person || !ctx.Actor.IsPerson) return "Only a person says they have the pager.";
        if (Data.Incoming.SlackId is { } incoming)
            return ctx.Actor.UserId == incoming ? null : $"This handoff is for @{Data.Incoming.Name}, who is on call now: only they can say they have it.";
        // The pager's on-call has no chat account with the same e-mail: someone on the rota (a responder) takes it, not the outgoing engineer.
        if (Data.Outgoing?.SlackId == ctx.Actor.UserId) return $"You are handing over; {Data.Incoming.Name} (or another responder) takes it.";
        return ctx.Actor.Has(Role.Responder) ? null : "Taking the pager needs the incident responder role; /sb whoami shows yours.";
    }

    protected override IReadOnlyList<string> DescribeRefusal(HandoffTrigger trigger, IReadOnlyCollection<string> unmetGuards)
    {
        if (trigger != HandoffTrigger.Claim) return base.DescribeRefusal(trigger, unmetGuards);
        return CurrentState switch
        {
            HandoffState.Claimed => [$"@{Data.ClaimedBy} has it already (since {Data.ClaimedAt?.UtcDateTime:HH:mm} UTC)."],
            HandoffState.Noted => ["This shift change was only noted, not handed over: " + (Data.NotedBecause ?? "nothing was posted") + "."],
            _ => WhyNot(Context) is { } why ? [why] : base.DescribeRefusal(trigger, unmetGuards),
        };
    }

    private void Claimed(FireContext ctx)
    {
        Data.ClaimedBy = ctx.Actor.UserName;
        Data.ClaimedAt = ctx.Now;
        CancelTimer("remind");
        CancelTimer("next-level");
        Timeline(Line.Of("✅ ", ctx.Actor, " has it (", Time(ctx.Now), ")."));
    }

    private void Remind(FireContext ctx)
    {
        Data.Reminders++;
        Timeline(Line.Of("⏰ ", Mention(Data.Incoming), $", nobody has said they have the pager for {Minutes(Data.ClaimWithin)}: read the handoff and click ",
            Strong("I have it"), "."), alsoToChannel: true);
    }

    private void CallNextLevel(FireContext ctx)
    {
        Data.NextLevelCalled = true;
        var next = Data.NextLevelNotify switch
        {
            ['S', ..] => Group(Data.NextLevelNotify, Data.NextLevelName),
            ['U' or 'W', ..] => User(Data.NextLevelNotify, Data.NextLevelName),
            _ => (Span)Strong(Data.NextLevelName),
        };
        Timeline(Line.Of("⏫ The handoff is still unclaimed after ", Minutes(2 * Data.ClaimWithin), ": ", next,
            Data.NextLevelOnCall is { } onCall ? Line.Of(" (", Mention(onCall), ")") : null, ", please make sure someone has the pager; ", Mention(Data.Incoming),
            " has not answered."), alsoToChannel: true);
    }

    protected override Card DescribeCard() => new()
    {
        Title = $"On-call handoff: {(Data.Outgoing is { } o ? o.Name + " → " : "")}{Data.Incoming.Name}",
        Tone = CurrentState == HandoffState.Claimed ? CardTone.Good : CardTone.Waiting,
        Status = CurrentState == HandoffState.Claimed
            ? Line.Of(Mention(Data.Incoming), $" is on call for {Data.LevelName} since ", Time(Data.ShiftStart), " and has it: ", Echo(Data.ClaimedBy ?? "", 60),
                " said so at ", Time(Data.ClaimedAt ?? Data.ShiftStart), ".")
            : Line.Of(Mention(Data.Incoming), $" is on call for {Data.LevelName} of the ", Echo(Data.Policy, 80), " policy since ", Time(Data.ShiftStart),
                Data.Outgoing is { } outgoing ? Line.Of(", taking over from ", Mention(outgoing)) : null, ". Waiting for ", Strong("I have it"), "."),
        Details = Describe(Data.Snapshot),
        Footer = [Line.Of("As it stood at ", Time(Data.Snapshot.AsOf), " · /sb handoff shows it now.")],
        Buttons = CurrentState == HandoffState.Waiting ? [Button("I have it", HandoffTrigger.Claim, ButtonStyle.Primary)] : [],
    };

    /// <summary>How many lines a section shows at the most.</summary>
    public const int MaxItems = 10;

    /// <summary>The snapshot as lines: each section's title and count, its items (at most <see cref="MaxItems"/>), or why it could not be read.</summary>
    public static IReadOnlyList<Line> Describe(HandoffSnapshot snapshot) => snapshot.Sections.SelectMany(section =>
    {
        if (section.Unavailable is { } why) return [Line.Of(Strong(section.Title), ": ", Emoji("warning"), " could not be read (", Echo(why, 200), ").")];
        if (section.Items.Count == 0) return [Line.Of(Strong(section.Title), ": none.")];
        var lines = new List<Line> { Line.Of(Strong(section.Title), $" ({section.Items.Count}):") };
        lines.AddRange(section.Items.Take(MaxItems).Select(item => Line.Of("• ", item)));
        if (section.Items.Count > MaxItems) lines.Add(Line.Of($"…and {section.Items.Count - MaxItems} more."));
        return lines;
    }).ToList();

    private static Span Mention(HandoffPerson person) => person.SlackId is { } id ? User(id, person.Name) : Strong(person.Name);

    private static string Minutes(TimeSpan span) => Incidents.Incident.Minutes(span);
}
