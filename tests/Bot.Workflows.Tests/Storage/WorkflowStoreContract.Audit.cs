using Bot.Testing;
using Bot.Testing.Workflows;
using Bot.Workflows.Audit;
using Bot.Workflows.Changes.Sealing;

namespace Bot.Workflows.Tests.Storage;

/// <summary>
/// <c>/sb audit verify</c> from signed checkpoints, on every store: a check that found the chain intact signs its head (an HMAC
/// under a data key of the bot's master key, here the key file beside SQLite), and the next check reads only the records from
/// there on; a full check reads them all. A checkpoint the bot's key did not sign is tampering too.
/// </summary>
public abstract partial class WorkflowStoreContract
{
    /// <summary>Deletes audit record <paramref name="sequence"/> behind the store's back.</summary>
    protected abstract Task DeleteAuditAsync(long sequence);

    private readonly string _keyFile = Path.Combine(TestStorage.Root, Guid.NewGuid().ToString("N"), "bot.db.secrets.key");

    /// <summary>The audit log of <paramref name="host"/> with the bot's key (the key file the shell and a single instance use).</summary>
    private AuditLog SignedAudit(WorkflowHost host) => new(host.Store, host.Store, new KeyFileDataKeys(_keyFile), Time);

    private async Task AppendAsync(WorkflowHost host, int records)
    {
        for (var i = 0; i < records; i++) await host.Audit.AppendAsync(Draft(Ana, $"command:/sb health {i}"), CancellationToken.None);
    }

    /// <summary>A chain of <paramref name="records"/> records that a check found intact, with the checkpoint it signed at its head.</summary>
    private async Task<(WorkflowHost Host, AuditLog Audit)> CheckedChainAsync(int records)
    {
        var host = await NewHostAsync();
        var audit = SignedAudit(host);
        await AppendAsync(host, records);
        Assert.True((await audit.VerifyAsync(CancellationToken.None)).Intact);
        return (host, audit);
    }

    [Fact]
    public async Task A_second_check_reads_only_the_records_since_the_checkpoint_the_first_one_signed()
    {
        var host = await NewHostAsync();
        var audit = SignedAudit(host);
        await AppendAsync(host, 5);
        var first = await audit.VerifyAsync(CancellationToken.None);
        await AppendAsync(host, 2);

        var second = await audit.VerifyAsync(CancellationToken.None);
        var full = await audit.VerifyAsync(CancellationToken.None, full: true);

        Assert.Equal((true, 5L, (long?)null), (first.Intact, first.CheckedRecords, first.From?.Sequence));
        Assert.Contains("Checkpoint signed at record #5", first.Note);
        Assert.Equal((true, 3L, 5L, 7L), (second.Intact, second.CheckedRecords, second.From!.Sequence, second.HeadSequence));
        Assert.Equal((true, 7L, 7L), (full.Intact, full.CheckedRecords, full.HeadSequence));
        Assert.Equal(second.HeadHash, full.HeadHash);
        TestStorage.Delete(_keyFile);
    }

    [Fact]
    public async Task A_record_changed_after_the_checkpoint_or_the_checkpoints_own_is_found_by_the_next_check()
    {
        var (host, audit) = await CheckedChainAsync(5);
        await AppendAsync(host, 2);

        await TamperWithAuditAsync(6, "command:/sb nothing");
        var afterIt = await audit.VerifyAsync(CancellationToken.None);
        await TamperWithAuditAsync(5, "command:/sb nothing");
        var itsOwn = await audit.VerifyAsync(CancellationToken.None);

        Assert.Equal((false, 6L), (afterIt.Intact, afterIt.BrokenAt));
        Assert.Equal((false, 5L), (itsOwn.Intact, itsOwn.BrokenAt));
        TestStorage.Delete(_keyFile);
    }

    [Fact]
    public async Task A_record_changed_before_the_checkpoint_is_found_by_a_full_check()
    {
        var (_, audit) = await CheckedChainAsync(5);

        await TamperWithAuditAsync(3, "command:/sb nothing");
        // What the incremental check does not read, it cannot vouch for: that is what --full is for.
        var incremental = await audit.VerifyAsync(CancellationToken.None);
        var full = await audit.VerifyAsync(CancellationToken.None, full: true);

        Assert.True(incremental.Intact);
        Assert.Equal((false, 3L), (full.Intact, full.BrokenAt));
        Assert.Contains("record #3 was changed", full.Problem);
        TestStorage.Delete(_keyFile);
    }

    [Fact]
    public async Task A_chain_cut_short_of_its_checkpoint_is_found()
    {
        var (_, audit) = await CheckedChainAsync(5);

        await DeleteAuditAsync(5);
        await DeleteAuditAsync(4);
        var incremental = await audit.VerifyAsync(CancellationToken.None);
        var full = await audit.VerifyAsync(CancellationToken.None, full: true);

        Assert.Equal((false, 5L), (incremental.Intact, incremental.BrokenAt));
        Assert.Equal((false, 4L), (full.Intact, full.BrokenAt));
        Assert.Contains("records from #4 on are gone", full.Problem);
        TestStorage.Delete(_keyFile);
    }

    [Fact]
    public async Task A_checkpoint_written_into_the_store_without_the_bots_key_is_tampering()
    {
        var (host, audit) = await CheckedChainAsync(5);
        await AppendAsync(host, 2);
        // Someone who can write the store, not use the key, vouches for records #6 and #7 with a key of their own.
        // They copy the bot's wrapped key from its checkpoint, which does not tell them the key.
        var ours = (await host.Store.LatestAuditCheckpointAsync(CancellationToken.None))!;
        var head = (await ChainAsync(host))[^1];
        var forged = await new AuditCheckpointSigner(new KeyFileDataKeys(_keyFile + ".theirs")).SignAsync(7, head.Hash, Time.GetUtcNow(), CancellationToken.None);
        await host.Store.SaveAuditCheckpointAsync(forged with { WrappedKey = ours.WrappedKey }, CancellationToken.None);

        var verdict = await audit.VerifyAsync(CancellationToken.None);

        Assert.Equal((false, 7L), (verdict.Intact, verdict.BrokenAt));
        Assert.Contains("was not signed by the bot: its signature does not match", verdict.Problem);
        TestStorage.Delete(_keyFile);
    }

    [Fact]
    public async Task Without_a_key_to_sign_with_every_check_reads_every_record_and_says_why()
    {
        var host = await NewHostAsync();
        var audit = new AuditLog(host.Store, host.Store, new NoDataKeys(), Time);
        await AppendAsync(host, 3);
        await audit.VerifyAsync(CancellationToken.None);

        var again = await audit.VerifyAsync(CancellationToken.None);

        Assert.Equal((true, 3L, (AuditCheckpoint?)null), (again.Intact, again.CheckedRecords, again.From));
        Assert.Contains("Changes__SecretsKmsKeyId", again.Note);
        Assert.Null(await host.Store.LatestAuditCheckpointAsync(CancellationToken.None));
    }
}
