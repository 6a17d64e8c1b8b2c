using System.Text.RegularExpressions;
using Bot.Workflows.Audit;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// Hostile input on every endpoint (<see cref="HostileCase.All"/>: bad, missing, stale and replayed signatures, wrong
/// content types, oversized and truncated bodies, another workspace, unknown actions, a finished workflow's button, a
/// person without the role): each gets its documented answer, never a 500, and no workflow changes. The only trace
/// allowed is what the audit trail documents: the record every accepted command leaves, and a person's refused click.
/// </summary>
public sealed class HostileInputTests(HostileWorld world) : IClassFixture<HostileWorld>
{
    public static TheoryData<string> Cases => new(HostileCase.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_gets_its_documented_answer_and_changes_no_workflow(string name)
    {
        var hostile = HostileCase.All.Single(c => c.Name == name);
        var id = "hostile-" + HostileCase.All.ToList().IndexOf(hostile);
        if (hostile.Before is { } first) await first(world, id);
        var before = await QuietSnapshotAsync();

        using var response = await hostile.Send(world, id);
        var ack = await response.Content.ReadAsStringAsync();

        Assert.Equal(hostile.Status, response.StatusCode);
        if (hostile.Says is { } says) Assert.Contains(says, await AnswerAsync(id, ack, says), StringComparison.OrdinalIgnoreCase);
        var after = await QuietSnapshotAsync(expectMoreAudit: hostile.Leaves != Trace.Nothing, than: before);
        Assert.Equal(before.Workflows, after.Workflows);
        var added = after.Audit.Skip(before.Audit.Count).Select(r => r.Action).ToList();
        switch (hostile.Leaves)
        {
            case Trace.Nothing:
                Assert.Empty(added);
                break;
            case Trace.CommandRecord:
                Assert.Single(added, a => a.StartsWith("command:/sb ", StringComparison.Ordinal));
                Assert.Single(added);
                break;
            case Trace.Refusal:
                Assert.Single(added, a => a.StartsWith("Refused ", StringComparison.Ordinal));
                Assert.Single(added);
                break;
        }
        Assert.True((await AuditChain.VerifyAsync(world.Store.ReadAuditChainAsync(CancellationToken.None), CancellationToken.None)).Intact);
    }

    /// <summary>What the bot answered: the ack's body when it says it, else the answer on the case's <c>response_url</c>.</summary>
    private async Task<string> AnswerAsync(string id, string ack, string says)
    {
        if (Readable(ack).Contains(says, StringComparison.OrdinalIgnoreCase)) return Readable(ack);
        var answers = await world.Bot.Slack.WaitForAsync(r => r.Path == $"/response/{id}", timeout: TimeSpan.FromSeconds(15));
        return string.Join("\n", answers.Select(a => Readable(a.Body)).Prepend(Readable(ack)));
    }

    /// <summary>JSON text as a person reads it (escapes such as <c>\u0027</c> decoded).</summary>
    private static string Readable(string json) => Regex.Unescape(json);

    /// <summary>
    /// The store once the work a request started has settled: two reads a moment apart that agree (and, when a trace is
    /// expected, one that shows more audit records than <paramref name="than"/>).
    /// </summary>
    private async Task<StoreSnapshot> QuietSnapshotAsync(bool expectMoreAudit = false, StoreSnapshot? than = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var last = await world.SnapshotAsync();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(150);
            var now = await world.SnapshotAsync();
            var settled = now.Audit.Count == last.Audit.Count && now.Workflows.SequenceEqual(last.Workflows);
            if (settled && (!expectMoreAudit || now.Audit.Count > than!.Audit.Count)) return now;
            last = now;
        }
        return last;
    }
}
