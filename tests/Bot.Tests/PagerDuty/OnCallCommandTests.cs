using Bot.Testing;
using Bot.Tests;
using Bot.Testing.PagerDuty;
using Bot.Commands.Incidents;
using Bot.Testing.Slack;
using Bot.Testing.Commands;
using Bot.Tests.Routing;
using Bot.Tests.Sandbox.PagerDuty;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.PagerDuty;

/// <summary><c>/sb oncall</c> through the router, against PagerDuty's documented answers and against the sandbox.</summary>
public class OnCallCommandTests
{
    private static Task<string> RunAsync(IServiceProvider services) => OneCommand.RunAsync(new OnCallCommand(services), "oncall");

    [Fact]
    public async Task The_sandbox_policy_shows_each_levels_person_and_how_long_they_have()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var answer = await RunAsync(pd.Services);

        Assert.Equal("""
            :pager: On call now for *SecureBase* (PagerDuty escalation policy `PSBESC1`):
            • Level 1: Alice Chen (alice@securebase.example) — escalates after 15 min
            • Level 2: Bob Okafor (bob@securebase.example) — escalates after 30 min
            • Level 3: Carol Diaz (carol@securebase.example) — escalates after 1 h
            • Level 4: Dave Kim (dave@securebase.example) — last level
            """.ReplaceLineEndings("\n"), answer);
    }

    [Fact]
    public async Task Levels_nobody_is_on_call_for_say_so()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync(s => s["PagerDuty:EscalationPolicyId"] = "PT20YPA");
        pd.Fake.Script("GET", "/escalation_policies/PT20YPA", new ScriptedResponse(200, """
            {"escalation_policy":{"id":"PT20YPA","name":"Engineering <Escalation>","num_loops":1,"escalation_rules":[{"escalation_delay_in_minutes":30,"targets":[]},{"escalation_delay_in_minutes":120,"targets":[]}]}}
            """));

        var answer = await RunAsync(pd.Services);

        Assert.Equal("""
            :pager: On call now for *Engineering &lt;Escalation&gt;* (PagerDuty escalation policy `PT20YPA`):
            • Level 1: nobody — escalates after 30 min
            • Level 2: Tim Wright — escalates after 2 h
            """.ReplaceLineEndings("\n"), answer);
    }

    [Fact]
    public async Task Without_pagerduty_it_says_it_is_not_configured()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync(s =>
        {
            foreach (var key in s.Keys.Where(k => k.StartsWith("PagerDuty:", StringComparison.Ordinal) && !k.Contains("BaseUrl", StringComparison.Ordinal)).ToList()) s.Remove(key);
        });

        var answer = await RunAsync(pd.Services);

        Assert.StartsWith("PagerDuty is not configured", answer);
        Assert.Empty(pd.Fake.Requests);
    }

    [Fact]
    public async Task Without_a_policy_id_it_says_which_setting_is_missing()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        Assert.Equal("PagerDuty__EscalationPolicyId is not set, so I do not know whose on-calls to show.", await RunAsync(pd.Services));
    }
}
