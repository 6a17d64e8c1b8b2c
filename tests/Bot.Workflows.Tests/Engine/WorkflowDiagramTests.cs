using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;

namespace Bot.Workflows.Tests.Engine;

/// <summary>The committed diagrams in docs/workflows must match the machines, so a change to a machine is noticed.</summary>
public sealed class WorkflowDiagramTests
{
    public static TheoryData<string> Workflows => [SampleApproval.Type, Change.Type, Bot.Workflows.Incidents.Incident.Type, Bot.Workflows.Recovery.RestoreJob.Type,
        Bot.Workflows.Recovery.CleanupJob.Type, Bot.Workflows.Handoffs.Handoff.Type];

    private static IWorkflow Blank(string type) => type switch
    {
        SampleApproval.Type => new SampleApproval("x"),
        Change.Type => new Change("x"),
        Bot.Workflows.Incidents.Incident.Type => new Bot.Workflows.Incidents.Incident("x"),
        Bot.Workflows.Recovery.RestoreJob.Type => new Bot.Workflows.Recovery.RestoreJob("x"),
        Bot.Workflows.Recovery.CleanupJob.Type => new Bot.Workflows.Recovery.CleanupJob("x"),
        Bot.Workflows.Handoffs.Handoff.Type => Bot.Workflows.Handoffs.Handoff.Post("x", new()),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Diagram_in_docs_matches_the_machine(string type)
    {
        var generated = $"# {type} workflow\n\nGenerated from the machine by `Describe()` (Stateless → Mermaid). A test keeps it in step;\n" +
                        "regenerate with `UPDATE_DIAGRAMS=1 dotnet test --filter WorkflowDiagramTests`.\n\n```mermaid\n" +
                        Blank(type).Describe().Trim() + "\n```\n";
        var path = Path.Combine(RepositoryRoot(), "docs", "workflows", $"{type}.md");
        if (Environment.GetEnvironmentVariable("UPDATE_DIAGRAMS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run with UPDATE_DIAGRAMS=1 to write it.");
        Assert.Equal(generated, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Incident_diagram_shows_the_escalation_path()
    {
        var mermaid = new Bot.Workflows.Incidents.Incident("x").Describe();
        Assert.Contains("Triggered --> Triggered : DeadlineElapsed", mermaid);
        Assert.Contains("Decision1 --> Triggered : DeadlineChecked", mermaid);
        Assert.Contains("Decision1 --> Acknowledged : DeadlineChecked", mermaid);
        Assert.Contains("Triggered --> Acknowledged : Acknowledged", mermaid);
        Assert.Contains("Acknowledged --> Triggered : Unacknowledged", mermaid);
        Assert.Contains("Decision2 --> Triggered : Reopened", mermaid);
    }

    [Fact]
    public void Diagram_shows_states_and_guard_descriptions()
    {
        var mermaid = new SampleApproval("x").Describe();
        Assert.StartsWith("stateDiagram-v2", mermaid);
        Assert.Contains("Pending --> Applying", mermaid);
        Assert.Contains("The requester cannot approve their own request", mermaid);
    }

    [Fact]
    public void The_change_diagram_shows_the_two_person_rule_and_the_rollback()
    {
        var mermaid = new Change("x").Describe();
        Assert.Contains("PendingApproval --> Approved", mermaid);
        Assert.Contains("Verifying --> RollingBack", mermaid);
        Assert.Contains("two-person rule", mermaid);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bot.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Bot.sln) not found.");
    }
}
