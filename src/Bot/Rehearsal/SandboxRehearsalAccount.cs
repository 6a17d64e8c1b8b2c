using Bot.Commands.Rehearsal;
using Bot.Sandbox.Account;
using Bot.Sandbox.Faults;
using Bot.Sandbox.PagerDuty;

namespace Bot.Rehearsal;

/// <summary><c>/sb sandbox</c>'s port over the in-process sandbox account (local mode only).</summary>
public sealed class SandboxRehearsalAccount(SandboxAccount account) : IRehearsalAccount
{
    public IReadOnlyList<RehearsalFault> ActiveFaults => account.Faults.Active.Select(Describe).ToList();
    public RehearsalFault BreakFunction(string function, double rate) => Describe(account.Faults.FunctionErrors(function, rate));
    public RehearsalFault BadNextVersion(string function, double rate) => Describe(account.Faults.BadNextVersion(function, rate));
    public RehearsalFault ThrottleTable(string table, double rate) => Describe(account.Faults.TableThrottles(table, rate));
    public RehearsalFault FailApi(string api, double rate) => Describe(account.Faults.ApiErrors(api, rate));
    public RehearsalFault Slow(string operationOrService, TimeSpan delay) => Describe(account.Faults.Latency(delay, operationOrService));
    public RehearsalFault FailRotations(string? secret) => Describe(account.Faults.RotationFailure(secret));

    public void DriftRole(string role)
    {
        try
        {
            account.Iam.Drift(role);
        }
        catch (Bot.Sandbox.Protocols.AwsException e)
        {
            throw new ArgumentException($"{e.Message} (aws iam list-roles against the sandbox lists them)", nameof(role), e);
        }
    }

    public void FixAll()
    {
        account.Faults.ClearAll();
        account.PagerDuty.Failures.Clear();
    }
    public bool Fix(string faultId) => account.Faults.Clear(faultId);

    public IReadOnlyList<string> IncidentScenarios => PagerDutyScenarios.Names;

    public RehearsalPage PageIncident(string scenario, string? target, double? rate)
    {
        var paged = PagerDutyScenarios.Page(account, scenario, target, rate);
        return new RehearsalPage(paged.Fault.Id, Describe(paged.Incident), account.PagerDuty.OnCall(1).User.Name, account.Time.GetUtcNow());
    }

    public RehearsalPager ReadPager()
    {
        var pagerDuty = account.PagerDuty;
        var log = pagerDuty.Webhooks.Log;
        return new RehearsalPager(pagerDuty.ClockSpeed, pagerDuty.Webhooks.Enabled, pagerDuty.Webhooks.Url?.ToString(), log.Count(d => d.Outcome == "delivered"), log.Count,
            pagerDuty.Incidents.Where(i => i.Status != "resolved").Select(Describe).ToList(), account.Time.GetUtcNow())
        {
            Failure = pagerDuty.Failures.Current is { } failure ? new RehearsalPagerFailure(failure.Name, failure.Rate) : null,
        };
    }

    public RehearsalPagerFailure FailPager(string kind, double rate)
    {
        var failure = account.PagerDuty.Failures.Set(PagerDutyFailure.Parse(kind), rate);
        return new RehearsalPagerFailure(failure.Name, failure.Rate);
    }

    public bool HealPager() => account.PagerDuty.Failures.Clear();

    public RehearsalShift? HandOverPager(string who)
    {
        var user = PagerDutyDirectory.UserByEmail(who)
                   ?? PagerDutyDirectory.Users.FirstOrDefault(u => u != PagerDutyDirectory.Bot && u.Name.Split(' ')[0].Equals(who.Trim(), StringComparison.OrdinalIgnoreCase));
        return user is null ? null : new RehearsalShift(user.Name, user.Email, account.PagerDuty.HandOver(1, user));
    }

    public IReadOnlyList<string> PagerPeople => PagerDutyDirectory.Users.Where(u => u != PagerDutyDirectory.Bot).Select(u => u.Email).ToList();

    public void SetPagerClockSpeed(double speed) => account.PagerDuty.SetClockSpeed(speed);
    public void FastForwardPager(TimeSpan span) => account.PagerDuty.FastForward(span);

    private static RehearsalFault Describe(Fault fault) => fault switch
    {
        FunctionErrorFault f => new(f.Id, f.Kind, f.Function, f.Rate, f.Version),
        BadNextVersionFault b => new(b.Id, b.Kind, b.Function, b.Rate),
        TableThrottleFault t => new(t.Id, t.Kind, t.Table, t.Rate),
        ApiErrorFault a => new(a.Id, a.Kind, a.Api, a.Rate),
        LatencyFault l => new(l.Id, l.Kind, l.Target, Delay: l.Delay),
        RotationFailureFault r => new(r.Id, r.Kind, r.Secret),
        _ => new(fault.Id, fault.Kind),
    };

    private static RehearsalIncident Describe(SandboxIncidentView i) =>
        new(i.Number, i.Id, i.Service, i.Title, i.Status, i.Level, PagerDutyDirectory.Levels[i.Level - 1].Name, i.Assignees, i.EscalateAt, i.UnacknowledgeAt);
}
