using System.Net;
using Bot.Testing;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// A rolling deploy of the documented deployment: the previous release (<c>tests/previous-release.ref</c>, built from this
/// repository's history) and this build serve one DynamoDB table side by side, then the previous one goes away. What one
/// version started, the other finishes, once; what the previous one did not keep (the workflows' counters) comes right.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class RollingDeployTests
{
    [Fact]
    public async Task A_change_asked_for_on_the_previous_release_is_approved_on_this_one_runs_once_and_is_counted_right()
    {
        var previous = await PreviousRelease.BotDllAsync();
        await using var rig = await ChangeRig.StartAsync(await RigStore.DynamoDbAsync());
        rig.Settings["Operations__SampleInterval"] = "00:00:01";
        var old = await rig.StartBotAsync(previous);

        await rig.RequestDeployAsync(old);
        var button = await rig.ApproveButtonAsync();
        // This release joins while the previous one still serves (its workers take their share of the change's work).
        var current = await rig.StartBotAsync();
        Assert.Equal(HttpStatusCode.OK, await rig.ClickAsync(current, ChangeRig.Bob, button));
        var ended = await rig.WaitForStateAsync(TimeSpan.FromSeconds(120), ChangeRig.WatchEnded);
        old.Kill();

        Assert.True(ended is not null, $"The change did not complete: {(await rig.ChangeAsync())?.State}\n{rig.Logs}");
        await rig.AssertCompletedOnceAsync();
        // The previous release did not count the change it created; once the table is still, this one's recount puts that right.
        var store = await rig.Store.OpenAsync();
        var counted = await BotRig.WaitUntilAsync(async () =>
            (await store.CountByStateAsync("change", CancellationToken.None)).OrderBy(c => c.Key, StringComparer.Ordinal).SequenceEqual([new(ended.State, 1)]),
            TimeSpan.FromSeconds(90));
        Assert.True(counted, string.Join(", ", await store.CountByStateAsync("change", CancellationToken.None)));
    }
}
