using System.Reflection;
using Bot.Commands.Routing;
using Bot.Integrations;
using Bot.Workflows.Engine;
using NetArchTest.Rules;

namespace Bot.Tests;

/// <summary>
/// The lines docs/architecture.md draws, held: <c>Bot → Bot.Commands → Bot.Integrations → Bot.Workflows</c>, the domain
/// knows no vendor (no Slack, no AWS, no PagerDuty; <c>Storage/</c> is its only vendor code), the command layer speaks
/// no vendor protocol, and no namespace is named like a project it does not belong to (so <c>Workflows.X</c> never
/// means two things).
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Workflows = typeof(WorkflowEngine).Assembly;
    private static readonly Assembly Integrations = typeof(IntegrationException).Assembly;
    private static readonly Assembly Commands = typeof(CommandRouter).Assembly;
    private static readonly Assembly Host = typeof(Program).Assembly;
    private static readonly Assembly Sandbox = typeof(Bot.Sandbox.SandboxOptions).Assembly;

    private static readonly string[] Vendors =
    [
        "Bot.Commands", "Bot.Integrations", "Bot.Hosting", "Bot.Slack", "Bot.Shell", "Bot.Workers", "Bot.PagerDuty", "Bot.Sandbox", "Amazon",
        "Microsoft.Data.Sqlite", "Refit", "Microsoft.AspNetCore", "Bot.Workflows.Storage.Sqlite", "Bot.Workflows.Storage.DynamoDb",
    ];

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
        var result = Types.InAssembly(Workflows).That().ResideInNamespaceStartingWith(ns).ShouldNot().HaveDependencyOnAny(Vendors).GetResult();

        Assert.True(result.IsSuccessful, $"{ns} depends on a vendor: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_domain_depends_on_no_other_layer()
    {
        var result = Types.InAssembly(Workflows).ShouldNot().HaveDependencyOnAny("Bot.Integrations", "Bot.Commands", "Bot.Hosting", "Bot.Slack", "Bot.Shell").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_command_layer_answers_in_the_neutral_message_model_and_references_no_block_kit_type()
    {
        var result = Types.InAssembly(Commands).ShouldNot().HaveDependencyOn("Bot.Integrations.Slack.BlockKit").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_integrations_never_reference_the_command_layer_or_the_host()
    {
        var result = Types.InAssembly(Integrations).ShouldNot()
            .HaveDependencyOnAny("Bot.Commands", "Bot.Hosting", "Bot.Shell", "Bot.Workers", "Bot.Operations", "Bot.Rehearsal", "Bot.Sandbox").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_command_layer_speaks_no_vendor_protocol()
    {
        var result = Types.InAssembly(Commands).ShouldNot().HaveDependencyOnAny("Refit", "Amazon").GetResult();

        Assert.True(result.IsSuccessful, $"Bot.Commands calls a vendor SDK directly: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_command_layer_does_not_depend_on_the_host_or_the_sandbox()
    {
        var result = Types.InAssembly(Commands).ShouldNot()
            .HaveDependencyOnAny("Bot.Sandbox", "Bot.Hosting", "Bot.Slack", "Bot.Shell", "Bot.Workers", "Bot.Operations", "Bot.Rehearsal").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_sandbox_stands_alone()
    {
        var result = Types.InAssembly(Sandbox).ShouldNot().HaveDependencyOnAny("Bot.Workflows", "Bot.Integrations", "Bot.Commands", "Bot.Hosting").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>
    /// A namespace named like another project (<c>Bot.Sandbox</c> in the host), or with a project's name as one of its parts
    /// (<c>Bot.Commands.Workflows</c>), makes <c>Workflows.X</c> or <c>Sandbox.X</c> mean two things depending on where it
    /// is written.
    /// </summary>
    [Fact]
    public void No_namespace_is_named_like_a_project_it_does_not_belong_to()
    {
        var projects = new Dictionary<Assembly, string>
        {
            [Workflows] = "Bot.Workflows", [Integrations] = "Bot.Integrations", [Commands] = "Bot.Commands", [Host] = "Bot", [Sandbox] = "Bot.Sandbox",
        };
        var names = projects.Values.Where(p => p != "Bot").Select(p => p["Bot.".Length..]).ToList();
        var clashes = new List<string>();
        foreach (var (assembly, project) in projects)
        {
            foreach (var ns in assembly.GetTypes().Select(t => t.Namespace).OfType<string>().Where(n => n.StartsWith("Bot", StringComparison.Ordinal)).Distinct())
            {
                var own = project == "Bot" ? [] : project.Split('.').Skip(1).ToArray();
                var parts = ns.Split('.').Skip(1).ToList();
                var rest = parts.Skip(own.Length).ToList();
                if (!ns.StartsWith(project + ".", StringComparison.Ordinal) && ns != project) rest = parts;
                if (rest.Any(names.Contains)) clashes.Add($"{ns} (in {project})");
            }
        }
        Assert.Empty(clashes);
    }
}
