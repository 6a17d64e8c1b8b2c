using Bot.Integrations.Aws;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.Kms;
using Bot.Sandbox.Hosting;
using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Integrations.Tests.Aws;

/// <summary>
/// What the hardened changes ask of AWS, over SigV4 against the sandbox: a weighted alias read and its weights cleared
/// by a move; rollback alarms that entered ALARM after a moment; data keys from KMS that seal and open a change's
/// secret values (and a tampered key that does not).
/// </summary>
public sealed class ChangeSafetyOverTheSandboxTests : IAsyncLifetime
{
    private const string Prod = "securebase-prod-user-management";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 14, 7, 30, TimeSpan.Zero));
    private SandboxCloud _aws = null!;

    public async Task InitializeAsync() => _aws = await SandboxCloud.StartAsync(_time);

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Fact]
    public async Task A_weighted_alias_shows_its_weights_and_a_move_clears_them_explicitly()
    {
        _aws.Sandbox.Account.UpdateAlias(Prod, "PROD", "7", null, new Dictionary<string, double> { ["6"] = 0.25 }, null);

        var weighted = await _aws.Cloud.GetAliasAsync(Prod, "PROD", default);
        var moved = await _aws.Cloud.MoveAliasAsync(Prod, "PROD", "5", weighted.RevisionId, default);

        Assert.Equal(0.25, weighted.Weights["6"]);
        Assert.Equal(["7", "6"], weighted.RoutedVersions);
        Assert.Empty(moved.Weights);
        Assert.Null(_aws.Sandbox.Account.Function(Prod)!.Aliases["PROD"].Current.AdditionalVersion);
    }

    [Fact]
    public async Task Only_the_rollback_alarms_that_entered_ALARM_since_the_move_are_named_and_an_unknown_one_is_an_error()
    {
        var alarms = await _aws.Services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest { StateValue = "ALARM" }, default);
        var firing = alarms.MetricAlarms.Select(a => a.AlarmName!).ToList();
        Assert.NotEmpty(firing);

        var sinceLongAgo = await _aws.Cloud.AlarmsEnteredAsync(firing, _time.GetUtcNow() - TimeSpan.FromDays(30), default);
        var sinceNow = await _aws.Cloud.AlarmsEnteredAsync(firing, _time.GetUtcNow() + TimeSpan.FromMinutes(1), default);
        var unknown = await Assert.ThrowsAsync<PortException>(() => _aws.Cloud.AlarmsEnteredAsync(["securebase-prod-no-such-alarm"], _time.GetUtcNow(), default));

        Assert.Equal(firing.Order(), sinceLongAgo.Order());
        Assert.Empty(sinceNow);
        Assert.Equal(("AlarmNotFound", "CloudWatch has no alarm named securebase-prod-no-such-alarm (Changes__RollbackAlarms)"), (unknown.Code, unknown.Message));
    }

    [Fact]
    public async Task KMS_data_keys_seal_a_changes_values_that_only_open_with_their_own_wrapped_key()
    {
        var sealer = new ValueSealer(new KmsDataKeys(_aws.Services.GetRequiredService<IKmsClient>(), "alias/securebase-bot"));

        var sealedValues = await sealer.SealAsync(Prod, new Dictionary<string, string> { ["API_TOKEN"] = "hunter2" }, default);
        var opened = await sealer.OpenAsync(Prod, sealedValues, default);
        var other = await sealer.SealAsync(Prod, new Dictionary<string, string> { ["API_TOKEN"] = "other" }, default);
        var swapped = new SealedValues { KeySource = sealedValues.KeySource, WrappedKey = other.WrappedKey, Values = sealedValues.Values };

        Assert.Equal("hunter2", opened["API_TOKEN"]);
        Assert.Equal("kms:alias/securebase-bot", sealedValues.KeySource);
        Assert.DoesNotContain("hunter2", sealedValues.Values["API_TOKEN"]);
        Assert.Equal("SealedValueAltered", (await Assert.ThrowsAsync<PortException>(() => sealer.OpenAsync(Prod, swapped, default))).Code);
        Assert.Equal("SealedValueAltered", (await Assert.ThrowsAsync<PortException>(() => sealer.OpenAsync("securebase-prod-report-engine", sealedValues, default))).Code);
    }

    [Fact]
    public async Task A_KMS_key_that_does_not_exist_is_a_port_error_in_words()
    {
        var keys = new KmsDataKeys(_aws.Services.GetRequiredService<IKmsClient>(), "alias/nope");

        var missing = await Assert.ThrowsAsync<PortException>(() => keys.NewKeyAsync(default));

        Assert.Contains("KMS (alias/nope)", missing.Message);
    }
}
