using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Routing;
using Bot.Commands.Rehearsal;
using Bot.Rehearsal;
using Bot.Sandbox;
using Bot.Sandbox.Account;
using Bot.Sandbox.Faults;
using Bot.Testing.Commands;
using Bot.Tests.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Rehearsal;

/// <summary><c>/sb sandbox incident</c> and <c>/sb sandbox pager</c>: paging the sandbox's PagerDuty and driving its clock.</summary>
public sealed class PagerRehearsalCommandTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SandboxAccount _account;

    public PagerRehearsalCommandTests() => _account = new SandboxAccount(new SandboxOptions { StartWithOpenIncident = false }, _time);

    public void Dispose() => _account.PagerDuty.Dispose();

    private Task<string> RunAsync(string text) => OneCommand.RunAsync(new SandboxCommand(new SandboxRehearsalAccount(_account)), text);

    [Fact]
    public async Task An_incident_rehearsal_breaks_the_function_and_pages_pagerduty()
    {
        var answer = await RunAsync("sandbox incident lambda-errors");

        var fault = Assert.IsType<FunctionErrorFault>(Assert.Single(_account.Faults.Active));
        var incident = Assert.Single(_account.PagerDuty.Incidents);
        Assert.Equal("securebase-prod-user-management", fault.Function);
        Assert.Equal(("triggered", 1), (incident.Status, incident.Level));
        Assert.Contains($"PagerDuty incident #1 `{incident.Id}` triggered on `securebase-prod-lambda`", answer);
        Assert.Contains("escalates at 09:15:00 UTC (in 15 min)", answer);
    }

    [Fact]
    public async Task An_incident_rehearsal_can_name_its_target_and_rate()
    {
        await RunAsync("sandbox incident api-5xx securebase-staging-api --rate 0.3");

        Assert.Contains(_account.Faults.Active, f => f is ApiErrorFault { Api: "securebase-staging-api", Rate: 0.3 });
        Assert.Equal("API Gateway 5xx: securebase-staging-api is answering 30% of requests with 5xx", Assert.Single(_account.PagerDuty.Incidents).Title);
    }

    [Fact]
    public async Task The_pager_clock_can_be_sped_up_and_jumped_forward()
    {
        await RunAsync("sandbox incident lambda-errors");

        var faster = await RunAsync("sandbox pager speed 60");
        var jumped = await RunAsync("sandbox pager forward 20m");

        Assert.Equal(60, _account.PagerDuty.ClockSpeed);
        Assert.Contains("escalates at 09:00:15 UTC (in 15 s)", faster);
        Assert.Equal(2, Assert.Single(_account.PagerDuty.Incidents).Level);
        Assert.Contains("level 2 (Senior DevOps engineer: bob@securebase.example)", jumped);
    }

    [Fact]
    public async Task The_pager_can_fail_on_purpose_and_work_again()
    {
        var failing = await RunAsync("sandbox pager fail 429 --rate 0.5");
        var failure = _account.PagerDuty.Failures.Current;
        var fixedAgain = await RunAsync("sandbox pager fail off");

        Assert.Equal(new Bot.Sandbox.PagerDuty.PagerDutyFailure(Bot.Sandbox.PagerDuty.PagerDutyFailureKind.RateLimited, 0.5), failure);
        Assert.Contains("now fails 50% of its API requests with `429` (webhooks still arrive)", failing);
        Assert.Contains("its APIs fail 50% with 429", failing);
        Assert.Contains("The sandbox's PagerDuty works again.", fixedAgain);
        Assert.Null(_account.PagerDuty.Failures.Current);
    }

    [Fact]
    public async Task A_shift_change_can_be_rehearsed_and_names_only_the_sandboxs_people()
    {
        var handed = await RunAsync("sandbox pager handoff erin");
        var unknown = await RunAsync("sandbox pager handoff mallory");

        Assert.Equal(("Erin Novak", (DateTimeOffset?)Start), (_account.PagerDuty.OnCall(1).User.Name, _account.PagerDuty.OnCall(1).Since));
        Assert.Contains("Erin Novak (erin@securebase.example) is on call for level 1 of the sandbox's policy since", handed);
        Assert.Contains("`mallory` is nobody in the sandbox's PagerDuty", unknown);
        Assert.Equal("Erin Novak", _account.PagerDuty.OnCall(1).User.Name);
    }

    [Fact]
    public async Task Fixing_the_sandbox_ends_a_pagerduty_failure_too()
    {
        await RunAsync("sandbox pager fail 5xx");

        await RunAsync("sandbox fix");

        Assert.Null(_account.PagerDuty.Failures.Current);
    }

    [Theory]
    [InlineData("sandbox pager fail", "Say how PagerDuty fails")]
    [InlineData("sandbox pager fail 418", "'418' is not a PagerDuty failure")]
    [InlineData("sandbox pager fail 5xx --rate 2", "`--rate` is a share between 0 and 1")]
    public async Task A_pagerduty_failure_must_be_named(string text, string expected)
    {
        Assert.Contains(expected, await RunAsync(text));
        Assert.Null(_account.PagerDuty.Failures.Current);
    }

    [Theory]
    [InlineData("sandbox incident", "Say which incident")]
    [InlineData("sandbox incident disk-full", "`disk-full` is not an incident scenario.")]
    [InlineData("sandbox incident lambda-errors securebase-prod-nothing", "There is no function named 'securebase-prod-nothing'.")]
    [InlineData("sandbox pager speed fast", "The clock speed is a number")]
    [InlineData("sandbox pager forward soon", "`15m`, `1h`")]
    [InlineData("sandbox pager rewind", "`rewind` is not a pager action")]
    public async Task Bad_requests_are_answered_and_page_nobody(string text, string expected)
    {
        Assert.Contains(expected, await RunAsync(text));
        Assert.Empty(_account.PagerDuty.Incidents);
        Assert.Empty(_account.Faults.Active);
    }

    [Fact]
    public async Task Without_incidents_the_pager_says_how_to_page_one()
    {
        Assert.Contains("no open incidents. `/sb sandbox incident lambda-errors` pages one.", await RunAsync("sandbox pager"));
    }
}
