namespace Bot.Tests.Workflows;

/// <summary>The committed diagram in docs/workflows must match the machine, so a change to the machine is noticed.</summary>
public sealed class WorkflowDiagramTests
{
    [Fact]
    public void Sample_approval_diagram_in_docs_matches_the_machine() => DiagramMatches("sample-approval", new SampleApproval("x").Describe());

    [Fact]
    public void Incident_diagram_in_docs_matches_the_machine() => DiagramMatches("incident", new Bot.Workflows.Incidents.Incident("x").Describe());

    [Fact]
    public void Incident_diagram_shows_the_escalation_path()
    {
        var mermaid = new Bot.Workflows.Incidents.Incident("x").Describe();
        Assert.Contains("Triggered --> Triggered : DeadlineElapsed", mermaid);
        Assert.Contains("Triggered --> Acknowledged : Acknowledged", mermaid);
        Assert.Contains("Acknowledged --> Triggered : Unacknowledged", mermaid);
        Assert.Contains("Decision1 --> Triggered : Reopened", mermaid);
    }

    private static void DiagramMatches(string type, string mermaid)
    {
        var generated = $"# {type} workflow\n\nGenerated from the machine by `Describe()` (Stateless → Mermaid). A test keeps it in step;\n" +
                        "regenerate with `UPDATE_DIAGRAMS=1 dotnet test --filter WorkflowDiagramTests`.\n\n```mermaid\n" +
                        mermaid.Trim() + "\n```\n";
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
    public void Diagram_shows_states_and_guard_descriptions()
    {
        var mermaid = new SampleApproval("x").Describe();
        Assert.StartsWith("stateDiagram-v2", mermaid);
        Assert.Contains("Pending --> Applying", mermaid);
        Assert.Contains("The requester cannot approve their own request", mermaid);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bot.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Bot.sln) not found.");
    }
}
