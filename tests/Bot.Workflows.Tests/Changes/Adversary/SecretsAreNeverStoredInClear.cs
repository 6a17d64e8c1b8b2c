using Bot.Testing.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes.Adversary;

/// <summary>
/// Hole 1: a secret value given to a configuration change sat in clear in the store (the change's data, and the apply
/// work item's payload for 7 days). Now it is sealed with the change's own data key, never in a payload, and erased —
/// key and all — when the change ends, however it ends.
/// </summary>
public abstract class SecretsAreNeverStoredInClear : ChangeTests
{
    private const string Secret = "hunter2-Zq8vK";

    [Fact]
    public async Task A_secret_value_is_applied_but_never_written_to_the_store_in_clear()
    {
        await Host.RequestAsync(await Host.ConfigDataAsync(("API_TOKEN", Secret), ("LOG_LEVEL", "debug")));
        var pending = await Host.LoadAsync();
        var whileWaiting = await DumpStoreAsync();

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.FireAsync(ChangeTrigger.Approve, Dee);
        await Host.SettleAsync();
        await DrainAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.Completed, change.CurrentState);
        Assert.Equal(Secret, Host.Cloud.Settings(Fn).Environment["API_TOKEN"]);
        Assert.NotNull(pending.Data.Sealed);
        Assert.DoesNotContain(Secret, pending.Data.Sealed!.Values["API_TOKEN"], StringComparison.Ordinal);
        Assert.Null(change.Data.Sealed);
        Assert.DoesNotContain(Secret, whileWaiting, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await DumpStoreAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Chat.Deliveries, d => System.Text.Json.JsonSerializer.Serialize(d.Content).Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Rejected")]
    [InlineData("Cancelled")]
    [InlineData("Expired")]
    [InlineData("Failed")]
    public async Task The_sealed_values_are_erased_however_the_change_ends(string ending)
    {
        await Host.RequestAsync(await Host.ConfigDataAsync(("DB_PASSWORD", Secret)), expiresIn: TimeSpan.FromHours(4));
        switch (ending)
        {
            case "Rejected": await Host.FireAsync(ChangeTrigger.Reject, Ben, "not now"); break;
            case "Cancelled": await Host.FireAsync(ChangeTrigger.Cancel, Ana); break;
            case "Expired": Time.Advance(TimeSpan.FromHours(4)); break;
            case "Failed":
                Host.Cloud.ChangeSettingsByHand(Fn);
                await Host.FireAsync(ChangeTrigger.Approve, Ben);
                await Host.FireAsync(ChangeTrigger.Approve, Dee);
                break;
        }
        await Host.SettleAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ending, change.CurrentState.ToString());
        Assert.Null(change.Data.Sealed);
        Assert.NotEqual(Secret, Host.Cloud.Settings(Fn).Environment["DB_PASSWORD"]);
    }

    [Fact]
    public async Task A_sealed_value_moved_onto_another_key_does_not_open_and_nothing_is_applied()
    {
        var data = await Host.ConfigDataAsync(("DB_PASSWORD", Secret), ("API_TOKEN", "other-value"));
        (data.Sealed!.Values["DB_PASSWORD"], data.Sealed.Values["API_TOKEN"]) = (data.Sealed.Values["API_TOKEN"], data.Sealed.Values["DB_PASSWORD"]);
        await Host.RequestAsync(data);

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.FireAsync(ChangeTrigger.Approve, Dee);
        await Host.SettleAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.Contains("does not decrypt", change.Data.Finding);
        Assert.Equal("old-secret", Host.Cloud.Settings(Fn).Environment["DB_PASSWORD"]);
    }

    [Fact]
    public async Task The_mask_on_the_card_cannot_be_looked_up_from_a_guess()
    {
        var first = await Host.ConfigDataAsync(("API_TOKEN", "hunter2"));
        var second = await Host.ConfigDataAsync(("API_TOKEN", "hunter2"));
        var unsalted = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("hunter2"u8));

        Assert.NotEqual(first.Spec.Edits[0].To, second.Spec.Edits[0].To);
        Assert.DoesNotContain(unsalted[..8], first.Spec.Edits[0].To);
        Assert.DoesNotContain(unsalted, System.Text.Json.JsonSerializer.Serialize(first.Spec));
    }
}
