using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Routing;
using Bot.Commands.Rehearsal;
using Bot.Rehearsal;
using Bot.Sandbox;
using Bot.Sandbox.Account;
using Bot.Sandbox.Faults;
using Bot.Tests.Shell;
using Bot.Testing.Commands;
using Bot.Tests.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Rehearsal;

/// <summary><c>/sb sandbox</c>: rehearsing incidents against the sandbox account.</summary>
public sealed class RehearsalCommandTests
{
    private readonly SandboxAccount _account = new(new SandboxOptions { StartWithOpenIncident = false }, new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)));

    private Task<string> RunAsync(string text) => OneCommand.RunAsync(new SandboxCommand(new SandboxRehearsalAccount(_account)), text);

    [Fact]
    public async Task Breaking_a_function_makes_the_sandbox_fail_its_invocations_until_fixed()
    {
        var answer = await RunAsync("sandbox break securebase-prod-user-management --rate 0.3");

        var fault = Assert.IsType<FunctionErrorFault>(Assert.Single(_account.Faults.Active));
        Assert.Equal(("securebase-prod-user-management", 0.3), (fault.Function, fault.Rate));
        Assert.Contains($"`/sb sandbox fix {fault.Id}`", answer);

        await RunAsync("sandbox fix");
        Assert.Empty(_account.Faults.Active);
    }

    [Fact]
    public async Task Throttling_and_latency_faults_are_set_as_asked()
    {
        await RunAsync("sandbox throttle securebase-prod-activity-feed");
        await RunAsync("sandbox slow DescribeTable 1500");

        Assert.Contains(_account.Faults.Active, f => f is TableThrottleFault { Table: "securebase-prod-activity-feed", Rate: 0.2 });
        Assert.Contains(_account.Faults.Active, f => f is LatencyFault { Target: "DescribeTable" } l && l.Delay == TimeSpan.FromMilliseconds(1500));
        Assert.Contains("securebase-prod-activity-feed", await RunAsync("sandbox status"));
    }

    [Theory]
    [InlineData("sandbox break securebase-prod-nothing", "There is no function named 'securebase-prod-nothing'.")]
    [InlineData("sandbox break securebase-prod-user-management --rate 7", "`--rate` is a share between 0 and 1")]
    [InlineData("sandbox slow DescribeTable soon", "whole number of milliseconds")]
    [InlineData("sandbox explode", "`explode` is not a sandbox action.")]
    [InlineData("sandbox fix f99", "There is no active sandbox fault `f99`.")]
    public async Task Bad_requests_are_answered_and_change_nothing(string text, string expected)
    {
        Assert.Contains(expected, await RunAsync(text));
        Assert.Empty(_account.Faults.Active);
    }

    [Fact]
    public async Task The_shell_offers_rehearsals_because_it_runs_against_the_sandbox()
    {
        using var shell = new ShellHarness();

        await shell.RunAsync("/sb help\n");

        Assert.Contains("/sb sandbox", shell.Output);
    }
}
