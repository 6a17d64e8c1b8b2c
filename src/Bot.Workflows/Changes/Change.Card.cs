using System.Globalization;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>How a change shows itself in #securebase-ops: what will change, who asked and why, approvals, expiry, buttons.</summary>
public sealed partial class Change
{
    protected override Card DescribeCard()
    {
        var spec = Data.Spec;
        var fields = new List<CardField>
        {
            new("Requested by", Line.Of(User(Data.RequesterId, Data.RequesterName))),
            new("Category · risk", Line.Of($"{Data.Category} · {Data.Risk}", Data.SecurityRelevant ? " · security-relevant" : "")),
            new("Environment", Line.Of(Code(spec.Environment))),
            new("Approvals", ApprovalsLine()),
        };
        if (CurrentState == ChangeState.PendingApproval && AskingLine() is { } asking) fields.Add(new CardField("Asking", asking));
        if (Data.IncidentId is { } incident) fields.Add(new CardField("Incident", Line.Of(Code(incident))));
        if (CurrentState == ChangeState.PendingApproval) fields.Add(new CardField("Expires", Line.Of(Time(Data.ExpiresAt))));
        if (Data.StagingNote is { } staging) fields.Add(new CardField("Staging", Line.Of(staging)));
        if (Data.FreezeNote is { } freeze) fields.Add(new CardField("Freeze", Line.Of(freeze)));

        var details = new List<Line>();
        if (Data.Reason.Length > 0) details.Add(Line.Of(Strong("Why: "), Data.Reason));
        details.AddRange(WhatChanges());
        if (Data.Template is { } t)
        {
            foreach (var (label, value) in new[] { ("Impact", t.Impact), ("Mitigation", t.Mitigation), ("Testing plan", t.TestingPlan), ("Rollback plan", t.RollbackPlan) })
                if (!string.IsNullOrWhiteSpace(value)) details.Add(Line.Of(Strong(label + ": "), value));
        }
        if (Data.BreakGlass)
            details.Insert(0, Line.Of(Strong(Data.Unreviewed ? "BREAK-GLASS, UNREVIEWED: " : "Break-glass, reviewed: "),
                $"run by the requester alone for incident {Data.IncidentId}", Data.IncidentFinding is { } found ? $" ({found})" : "",
                Data.ReviewedBy is { } reviewer ? $"; reviewed by @{reviewer}" : "",
                Data.ReviewEscalatedAt is not null && Data.Unreviewed ? "; escalated to the ops managers" : ""));

        return new Card
        {
            Title = $"Change {Id}: {Title()}",
            Tone = Tone(),
            Status = Status(),
            Fields = fields,
            Details = details,
            Footer = [Line.Of("Digest ", Code(Data.Digest[..Math.Min(16, Data.Digest.Length)]), " · requested ", Time(Data.RequestedAt))],
            Buttons = Buttons(),
        };
    }

    private string Title() => Data.Template?.Title is { Length: > 0 } title ? title : Data.Spec.Kind switch
    {
        _ when Data.Spec.Operation is { } operation => operation.Title,
        ChangeKind.Deploy => $"deploy {Data.Spec.Function}",
        ChangeKind.Rollback => $"roll back {Data.Spec.Function}",
        ChangeKind.ReservedConcurrency => $"reserved concurrency of {Data.Spec.Function}",
        ChangeKind.ProvisionedConcurrency => $"provisioned concurrency of {Data.Spec.Function}",
        ChangeKind.SecretRotation => $"rotate secret {Data.Spec.Secret}",
        _ => $"configuration of {Data.Spec.Function}",
    };

    private IEnumerable<Line> WhatChanges()
    {
        var s = Data.Spec;
        if (s.Operation is { } operation)
        {
            foreach (var line in operation.Details()) yield return line;
            yield break;
        }
        switch (s.Kind)
        {
            case ChangeKind.Deploy or ChangeKind.Rollback:
                yield return Line.Of(Strong("Alias: "), Code(s.Alias), " ", Code("v" + s.FromVersion), " → ", Code("v" + s.ToVersion));
                if (s.HadWeights)
                    yield return Line.Of(Strong("Routing before: "), s.RoutingBefore(),
                        "; this change clears the weights: ", Code("v" + s.ToVersion), " gets all the traffic.");
                yield return Line.Of("from ", Code("v" + s.FromVersion), " ", s.FromDescription ?? "", " (code ", Code(Short(s.FromCodeSha256)), ")");
                yield return Line.Of("to ", Code("v" + s.ToVersion), " ", s.ToDescription ?? "", " (code ", Code(Short(s.ToCodeSha256)), ")");
                break;
            case ChangeKind.SecretRotation:
                foreach (var line in RotationLines()) yield return line;
                break;
            case ChangeKind.ReservedConcurrency or ChangeKind.ProvisionedConcurrency:
                yield return Line.Of(Strong(s.Kind == ChangeKind.ReservedConcurrency ? "Reserved concurrency: " : $"Provisioned concurrency on {s.Alias}: "),
                    Code(Show(s.ConcurrencyFrom)), " → ", Code(Show(s.ConcurrencyTo)));
                break;
            default:
                foreach (var e in s.Edits)
                    yield return e.Unset
                        ? Line.Of("− ", Code(e.Key), " (was ", Code(e.From ?? "unset"), ")")
                        : Line.Of(e.From is null ? "+ " : "~ ", Code(e.Key), " ", e.From is null ? "" : Code(e.From), e.From is null ? "" : " → ", Code(e.To!));
                if (s.MemoryTo is { } memory) yield return Line.Of("~ memory ", Code($"{s.MemoryFrom} MB"), " → ", Code($"{memory} MB"));
                if (s.TimeoutTo is { } timeout) yield return Line.Of("~ timeout ", Code($"{s.TimeoutFrom} s"), " → ", Code($"{timeout} s"));
                break;
        }
    }

    private Line ApprovalsLine()
    {
        if (Data.Spec.Environment != "prod" && Data.Approvals.Count == 0) return Line.Of("not needed outside production");
        if (Data.BreakGlass && Data.Approvals.Count == 0) return Line.Of("none (break-glass)");
        var assessment = ApprovalPolicy.Assess(Data, Data.Approvals);
        var parts = new List<object?> { $"{assessment.Filled.Count} of {ApprovalPolicy.Needed(Data)}" };
        for (var i = 0; i < assessment.Filled.Count; i++)
        {
            var seat = assessment.Filled[i];
            parts.Add(i == 0 ? ": " : ", ");
            parts.Add(User(seat.Approval.UserId, seat.Approval.Name));
            parts.Add(" as " + Roles.Role.InWords(seat.Role) + (seat.Approval.Comment is { } c ? $" (“{c}”)" : ""));
        }
        if (assessment.Empty.Count > 0 && CurrentState == ChangeState.PendingApproval)
            parts.Add($" — still needed: {string.Join(" and ", assessment.Empty.Select(e => e.InWords()))}");
        foreach (var idle in assessment.Idle.Where(i => i.Why != ApprovalPolicy.NoSeatLeft))
        {
            parts.Add("; not counting: ");
            parts.Add(User(idle.Approval.UserId, idle.Approval.Name));
            parts.Add($" ({idle.Why})");
        }
        return Line.Of([.. parts]);
    }

    /// <summary>Whom the card waits for: the groups (or people) of each role still needed, mentioned.</summary>
    private Line? AskingLine()
    {
        var parts = new List<object>();
        foreach (var seat in ApprovalPolicy.Assess(Data, Data.Approvals).Empty)
        {
            if (ContactsOf(seat.Role) is not { Count: > 0 } who) continue;
            if (parts.Count > 0) parts.Add("; ");
            parts.AddRange([Roles.Role.InWords(seat.Role), ": ", .. Joined(who, ", ")]);
        }
        return parts.Count == 0 ? null : Line.Of([.. parts, " (not the requester)"]);
    }

    private CardTone Tone() => CurrentState switch
    {
        ChangeState.PendingApproval => CardTone.Waiting,
        ChangeState.Approved or ChangeState.Executing or ChangeState.Verifying or ChangeState.RollingBack => CardTone.Working,
        ChangeState.Completed => Data.Unreviewed ? CardTone.Warning : CardTone.Good,
        ChangeState.NotVerified => CardTone.Warning,
        ChangeState.RolledBack => CardTone.Warning,
        ChangeState.Failed => CardTone.Bad,
        _ => CardTone.Info,
    };

    private Line Status() => CurrentState switch
    {
        ChangeState.PendingApproval when Data.BreakGlassCheckSince is not null => Line.Of("Checking incident ", Code(Data.IncidentId ?? ""), " with PagerDuty before running alone (break-glass)"),
        ChangeState.PendingApproval => Line.Of("Waiting for approval: ", string.Join(" and ", ApprovalPolicy.Missing(Data, Data.Approvals)),
            Data.IncidentFinding is { } refused && !Data.BreakGlass ? Line.Of(" (break-glass refused: ", refused, ")") : Line.Empty),
        ChangeState.Approved => Line.Of(Data.BreakGlass ? "Break-glass; checking the live state before it runs" : "Approved; checking the live state and the approvers' roles before it runs"),
        ChangeState.Executing => Line.Of("Running: ", Data.Spec.Describe()),
        ChangeState.Verifying when Data.Spec.RotatesSecret => Line.Of("Rotating; following the stages until ", Time(Data.VerifyUntil ?? Data.RequestedAt)),
        ChangeState.Verifying => Line.Of("Deployed; watching the error rate until ", Time(Data.VerifyUntil ?? Data.RequestedAt)),
        ChangeState.RollingBack => Line.Of("Rolling back: ", Data.RollbackReason ?? ""),
        ChangeState.Completed when Data.SupersededBy is { } later => Line.Of("Completed", Data.FinishedAt is { } done ? Line.Of(" at ", Time(done)) : Line.Empty, "; since moved on by ", Code(later)),
        ChangeState.Completed => Data.FinishedAt is { } at ? Line.Of("Completed at ", Time(at)) : Line.Of("Completed"),
        ChangeState.NotVerified => Line.Of("NOT VERIFIED: ", Data.NotVerifiedReason ?? "", Data.SupersededBy is { } next ? Line.Of("; since moved on by ", Code(next)) : Line.Empty),
        ChangeState.RolledBack => Line.Of("Rolled back", Data.RolledBackBy is { } who ? $" by @{who}" : " automatically", ": ", Data.RollbackReason ?? ""),
        ChangeState.Failed => Line.Of("Failed: ", Data.Finding ?? ""),
        ChangeState.Rejected => Line.Of("Rejected by ", User(Data.DecidedById ?? "", Data.DecidedByName ?? ""), ": ", Data.RejectReason ?? ""),
        ChangeState.Expired => Line.Of("Expired without approval"),
        ChangeState.Cancelled => Line.Of("Cancelled by the requester"),
        _ => Line.Of(CurrentState.ToString()),
    };

    private IReadOnlyList<CardButton> Buttons()
    {
        var buttons = new List<CardButton>();
        switch (CurrentState)
        {
            case ChangeState.PendingApproval:
                buttons.Add(Button("Approve", ChangeTrigger.Approve, ButtonStyle.Primary, confirm: $"Approve: {Data.Spec.Describe()}?"));
                buttons.Add(Button("Reject", ChangeTrigger.Reject, ButtonStyle.Danger, askFor: "the reason for rejecting"));
                buttons.Add(Button("Cancel (requester)", ChangeTrigger.Cancel, confirm: "Withdraw this change?"));
                if (Data.Category == ChangeCategory.Emergency && Data.IncidentVerifiedOpen && Data.BreakGlassCheckSince is null)
                    buttons.Add(Button("Run alone (break-glass, requester)", ChangeTrigger.BreakGlass, ButtonStyle.Danger,
                        confirm: $"Run this Emergency change without a second person for incident {Data.IncidentId}? PagerDuty is asked first; it stays unreviewed until an approver reviews it."));
                buttons.Add(Button("Approve with a comment", ChangeTrigger.Approve, askFor: "your comment (shown on the card and in the audit trail)"));
                break;
            case ChangeState.Verifying when Data.Spec.Kind == ChangeKind.Deploy:
                buttons.Add(Button("Roll back now", ChangeTrigger.RollBack, ButtonStyle.Danger, confirm: $"Move {Data.Spec.Alias} back to version {Data.Spec.FromVersion}?", askFor: "why you are rolling back"));
                break;
            case ChangeState.Completed or ChangeState.NotVerified when OffersOneClickRollback:
                buttons.Add(Button(CurrentState == ChangeState.NotVerified ? "Roll back now" : $"Roll back to v{Data.Spec.FromVersion}", ChangeTrigger.RollBack, ButtonStyle.Danger,
                    confirm: $"Move {Data.Spec.Alias} back to version {Data.Spec.FromVersion}?", askFor: "why you are rolling back"));
                break;
        }
        if (Data.Unreviewed && AfterStart.Contains(CurrentState)) buttons.Add(Button("Review (approver)", ChangeTrigger.Review, ButtonStyle.Primary, confirm: "Mark this break-glass change as reviewed?"));
        return buttons;
    }

    private static string Short(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "?";

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
