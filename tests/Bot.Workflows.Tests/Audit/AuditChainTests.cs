using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Audit;
using FsCheck;
using FsCheck.Fluent;

namespace Bot.Workflows.Tests.Audit;

/// <summary>Properties of the hash chain itself, independent of any store.</summary>
public sealed class AuditChainTests
{
    private static List<AuditRecord> Chain(IReadOnlyList<string> actions)
    {
        var chain = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        var at = new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero);
        for (var i = 0; i < actions.Count; i++)
        {
            var record = AuditChain.Seal(new AuditDraft { At = at.AddSeconds(i), ActorId = "U" + i, ActorName = "user" + i, Action = actions[i], DetailsJson = "{\"n\":" + i + "}" }, i + 1, previous);
            chain.Add(record);
            previous = record.Hash;
        }
        return chain;
    }

    private static async IAsyncEnumerable<AuditRecord> Stream(IEnumerable<AuditRecord> records)
    {
        foreach (var r in records)
        {
            await Task.Yield();
            yield return r;
        }
    }

    private static AuditVerification Verify(IEnumerable<AuditRecord> records) =>
        AuditChain.VerifyAsync(Stream(records), CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void An_empty_chain_is_intact()
    {
        Assert.Equal(new AuditVerification(true, 0, null, null, null), Verify([]));
    }

    [Fact]
    public void Every_untouched_chain_verifies()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString[]>(), actions =>
        {
            var chain = Chain(actions.Select(a => a.Get).ToList());
            return Verify(chain).Intact;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Changing_any_field_of_any_record_breaks_the_chain_exactly_there()
    {
        Func<AuditRecord, AuditRecord>[] tampers =
        [
            r => r with { Action = r.Action + "!" },
            r => r with { ActorId = "U0MALLORY" },
            r => r with { At = r.At.AddTicks(1) },
            r => r with { Before = "Approved" },
            r => r with { DetailsJson = "{}" },
            r => r with { RequestId = "forged" },
        ];
        Prop.ForAll(Gen.Choose(1, 12).ToArbitrary(), Gen.Choose(0, 11).ToArbitrary(), Gen.Choose(0, tampers.Length - 1).ToArbitrary(), (length, index, which) =>
        {
            var chain = Chain(Enumerable.Range(0, length).Select(i => "step" + i).ToList());
            var at = index % length;
            chain[at] = tampers[which](chain[at]);
            var result = Verify(chain);
            return !result.Intact && result.BrokenAt == at + 1;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Removing_a_record_is_found()
    {
        var chain = Chain(["a", "b", "c", "d"]);
        chain.RemoveAt(1);
        var result = Verify(chain);
        Assert.Equal((false, 3L), (result.Intact, result.BrokenAt!.Value));
        Assert.Contains("record #2 is missing", result.Problem);
    }

    [Fact]
    public void Rewriting_a_record_with_a_fresh_hash_still_breaks_the_next_link()
    {
        var chain = Chain(["a", "b", "c"]);
        var forged = chain[1] with { Action = "forged" };
        chain[1] = forged with { Hash = AuditChain.ComputeHash(forged) };
        var result = Verify(chain);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("does not point at the hash of record #2", result.Problem);
    }
}
