using Bot.Testing;
using Bot.Workflows.Engine;
using NetArchTest.Rules;

namespace Bot.Tests;

/// <summary>
/// The lines the design draws: the domain (engine, aggregates, messages, activities, ports) knows no vendor — no
/// Slack, no AWS, no PagerDuty, no store — and nothing in the domain depends on the command layer or the host.
/// <c>Storage/</c> is the only vendor code in Bot.Workflows.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string[] Vendors =
    [
        "Bot.Commands", "Bot.Hosting", "Bot.Slack", "Bot.Shell", "Bot.Workers", "Bot.PagerDuty", "Bot.Sandbox", "Amazon", "Microsoft.Data.Sqlite", "Refit", "Microsoft.AspNetCore",
        "Bot.Workflows.Storage.Sqlite", "Bot.Workflows.Storage.DynamoDb",
    ];

    private static Types Domain() => Types.InAssembly(typeof(WorkflowEngine).Assembly);

    [Theory]
    [InlineData("Bot.Workflows.Engine")]
    [InlineData("Bot.Workflows.Messages")]
    [InlineData("Bot.Workflows.Activities")]
    [InlineData("Bot.Workflows.Ports")]
    [InlineData("Bot.Workflows.Roles")]
    [InlineData("Bot.Workflows.Outbox")]
    [InlineData("Bot.Workflows.Timers")]
    [InlineData("Bot.Workflows.Audit")]
    [InlineData("Bot.Workflows.Changes")]
    [InlineData("Bot.Workflows.Incidents")]
    public void The_domain_references_no_vendor_and_no_store(string ns)
    {
        var result = Domain().That().ResideInNamespaceStartingWith(ns).ShouldNot().HaveDependencyOnAny(Vendors).GetResult();

        Assert.True(result.IsSuccessful, $"{ns} depends on a vendor: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_domain_has_no_slack_markup_or_block_kit_types()
    {
        var result = Domain().That().ResideInNamespaceStartingWith("Bot.Workflows").ShouldNot()
            .HaveDependencyOnAny("Bot.Commands.Slack", "Bot.Commands.Workflows").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_command_layer_answers_in_the_neutral_message_model_and_references_no_block_kit_type()
    {
        var result = Types.InAssembly(typeof(Bot.Commands.Routing.CommandRouter).Assembly).ShouldNot()
            .HaveDependencyOn("Bot.Integrations.Slack.BlockKit").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_command_layer_does_not_depend_on_the_host_or_the_sandbox()
    {
        var result = Types.InAssembly(typeof(Bot.Commands.Routing.CommandRouter).Assembly).ShouldNot()
            .HaveDependencyOnAny("Bot.Sandbox", "Bot.Hosting", "Bot.Slack", "Bot.Shell", "Bot.Workers").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }
}
