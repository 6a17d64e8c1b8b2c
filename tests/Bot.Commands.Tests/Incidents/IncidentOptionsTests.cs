using Bot.Testing;
using System.ComponentModel.DataAnnotations;
using Bot.Commands.Cloud;
using Bot.Commands.Incidents;
using Bot.Workflows.Incidents;
using Microsoft.Extensions.Configuration;

namespace Bot.Commands.Tests.Incidents;

/// <summary>The escalation path and the playbook rules from configuration.</summary>
public sealed class IncidentOptionsTests
{
    private static SecureBaseOptions Environments()
    {
        var options = new SecureBaseOptions();
        options.ApplyDefaults();
        return options;
    }

    [Fact]
    public void Without_levels_the_ops_guides_path_applies()
    {
        var levels = new EscalationOptions().Resolved();

        Assert.Equal([("DevOps engineer", 15), ("Senior DevOps engineer", 30), ("Engineering manager", 60), ("VP engineering", 120)],
            levels.Select(l => (l.Name, (int)l.RespondWithin.TotalMinutes)));
    }

    [Fact]
    public void The_clock_and_levels_bind_from_their_environment_names()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Escalation:Clock"] = "pagerduty",
            ["Escalation:Levels:0:Name"] = "On-call SRE",
            ["Escalation:Levels:0:Notify"] = "S0SRE",
            ["Escalation:Levels:0:RespondWithin"] = "00:00:05",
        }).Build();

        var options = new EscalationOptions();
        ConfigurationBinder.Bind(configuration.GetSection(EscalationOptions.Section), options);

        Assert.Equal(EscalationClock.PagerDuty, options.Clock);
        Assert.Equal(new EscalationLevel("On-call SRE", "S0SRE", TimeSpan.FromSeconds(5)), options.Resolved()[0]);
    }

    [Fact]
    public void Configuring_only_the_first_levels_time_keeps_the_other_three_levels()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Escalation:Levels:0:RespondWithin"] = "00:00:40" }).Build();
        var options = new EscalationOptions();
        ConfigurationBinder.Bind(configuration.GetSection(EscalationOptions.Section), options);

        var levels = options.Resolved();

        Assert.Equal([("DevOps engineer", 40), ("Senior DevOps engineer", 1800), ("Engineering manager", 3600), ("VP engineering", 7200)],
            levels.Select(l => (l.Name, (int)l.RespondWithin.TotalSeconds)));
    }

    [Fact]
    public void The_level_count_makes_the_path_shorter_and_must_be_sensible()
    {
        Assert.Equal(["DevOps engineer", "Senior DevOps engineer"], new EscalationOptions { LevelCount = 2 }.Resolved().Select(l => l.Name));
        Assert.Contains(new EscalationOptions { LevelCount = 0 }.Validate(new ValidationContext(new object())), r => r.ErrorMessage!.StartsWith("Escalation__LevelCount", StringComparison.Ordinal));
    }

    [Fact]
    public void A_level_that_names_only_whom_to_mention_keeps_the_defaults_name_and_time()
    {
        var options = new EscalationOptions { Levels = [new() { Notify = "S0DEVOPS" }, new() { Name = "SRE lead", RespondWithin = TimeSpan.FromSeconds(5) }] };

        var levels = options.Resolved();

        Assert.Equal([new EscalationLevel("DevOps engineer", "S0DEVOPS", TimeSpan.FromMinutes(15)), new EscalationLevel("SRE lead", "", TimeSpan.FromSeconds(5)),
            new EscalationLevel("Engineering manager", "", TimeSpan.FromHours(1)), new EscalationLevel("VP engineering", "", TimeSpan.FromHours(2))], levels);
    }

    [Theory]
    [InlineData("#ops", null, "Escalation__Levels__0__Notify must be a Slack user id")]
    [InlineData("U0ANA", "00:00:00", "Escalation__Levels__0__RespondWithin must be a time span above zero")]
    public void A_misconfigured_level_stops_the_start_with_its_name(string notify, string? respondWithin, string expected)
    {
        var options = new EscalationOptions { Levels = [new() { Notify = notify, RespondWithin = respondWithin is null ? null : TimeSpan.Parse(respondWithin, System.Globalization.CultureInfo.InvariantCulture) }] };

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage);

        Assert.Contains(errors, e => e!.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Lambda function errors: securebase-prod-user-management is failing 50% of invocations", "securebase-prod-lambda", "lambda-errors", "securebase-prod-user-management")]
    [InlineData("DynamoDB throttling: securebase-prod-activity-feed is throttling 20% of requests", "securebase-prod-dynamodb", "dynamodb-throttling", "securebase-prod-activity-feed")]
    [InlineData("API Gateway 5xx: securebase-prod-api is answering 10% of requests with 5xx", "securebase-prod-api", "api-5xx", "securebase-prod-api")]
    [InlineData("Errors in securebase-staging-report-engine", "securebase-prod-lambda", "lambda-errors", "securebase-staging-report-engine")]
    public void The_default_rules_match_the_ops_guides_playbooks_and_the_resource_named(string title, string service, string playbook, string resource)
    {
        var matched = IncidentPlaybooks.Match(new IncidentOptions().Rules, Environments(), title, service)!;

        Assert.Equal((playbook, resource), (matched.Name, matched.Function ?? matched.Table ?? matched.Api));
        Assert.NotEmpty(matched.Steps);
    }

    [Fact]
    public void An_incident_no_rule_matches_has_no_playbook_and_a_playbook_without_a_named_resource_has_no_target()
    {
        var none = IncidentPlaybooks.Match(new IncidentOptions().Rules, Environments(), "Disk full on bastion", "infra");
        var untargeted = IncidentPlaybooks.Match(new IncidentOptions().Rules, Environments(), "Lambda errors somewhere", "securebase-prod-lambda");

        Assert.Null(none);
        Assert.False(untargeted!.HasTarget);
    }

    [Fact]
    public void Configured_rules_replace_the_defaults_and_a_bad_pattern_is_refused_on_start()
    {
        var options = new IncidentOptions { Playbooks = [new() { Playbook = "api-5xx", Service = "^edge$" }, new() { Playbook = "nope", Title = "(" }] };

        var matched = IncidentPlaybooks.Match(options.Rules, Environments(), "Lambda function errors", "edge");
        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage!).ToList();

        Assert.Equal("api-5xx", matched!.Name);
        Assert.Contains(errors, e => e.StartsWith("Incidents__Playbooks__1__Playbook must be one of", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Incidents__Playbooks__1__Title is not a valid regular expression", StringComparison.Ordinal));
    }
}
