using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Workflows;
using Bot.Workflows.Activities;
using Bot.Workflows.Changes;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes;

/// <summary>
/// The Change machine's rotation branch alone, its activities answered by stand-ins for Secrets Manager (the whole path
/// against the sandbox is in the integration tests): it follows the stages on its own clock, fails after the timeout
/// with AWSCURRENT left where it was and the way to retry, and starts the rotation once with the change's token.
/// </summary>
public sealed class ChangeRotationTests : IAsyncLifetime
{
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 14, 2, 0, TimeSpan.Zero));
    private readonly Rotations _secrets = new();
    private ChangeHost _host = null!;

    public async Task InitializeAsync()
    {
        var store = new SqliteWorkflowStore(_path, _time);
        await store.InitializeAsync(CancellationToken.None);
        _host = new ChangeHost(store, _time, new Preflight(), new Start(_secrets), new Check(_secrets));
    }

    public Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }

    private static ChangeData Rotation(string env = "prod") => new()
    {
        Spec = new ChangeSpec
        {
            Kind = ChangeKind.SecretRotation, Environment = env, Function = $"securebase-{env}-secret-rotation", Secret = $"securebase-{env}-jwt-secret",
            SecretVersion = "11111111-aaaa", RotationFunction = $"securebase-{env}-secret-rotation", RotationLogGroup = $"/aws/lambda/securebase-{env}-secret-rotation",
            SecretReaders = [new SecretReader($"securebase-{env}-session-management", "JWT_SECRET_NAME")],
        },
        Channel = "C0OPS", RequesterId = Ana.UserId, RequesterName = Ana.UserName, SecurityRelevant = true,
        RotationCheckEvery = TimeSpan.FromSeconds(5), RotationTimeout = TimeSpan.FromMinutes(2),
    };

    private async Task FollowAsync(TimeSpan span)
    {
        await _host.SettleAsync();
        var end = _time.GetUtcNow() + span;
        while (_time.GetUtcNow() < end)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await _host.SettleAsync();
        }
        for (var i = 0; i < 100 && await _host.Store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++)
        {
            await _host.Sender.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task A_rotation_that_never_reaches_AWSCURRENT_fails_at_the_timeout_and_says_how_to_retry()
    {
        await _host.RequestAsync(Rotation());
        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await _host.FireAsync(ChangeTrigger.Approve, Dee);
        _secrets.Stage = RotationStage.Pending;

        await FollowAsync(TimeSpan.FromMinutes(3));

        var change = await _host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.StartsWith("it did not reach AWSCURRENT within 2 minutes (last seen: Pending). AWSCURRENT stays on version 11111111", change.Data.Finding);
        Assert.Contains($"--remove-from-version-id {StartRotation.TokenFor("CHG-1")}", change.Data.Finding);
        Assert.Contains("/sb rotate securebase-prod-jwt-secret --env prod", change.Data.Finding);
        Assert.Equal([StartRotation.TokenFor("CHG-1")], _secrets.Started);
        Assert.Contains(_host.Chat.Deliveries, d => d.Text.Contains("createSecret done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_staging_rotation_runs_without_approval_and_completes_naming_its_readers()
    {
        await _host.RequestAsync(Rotation("staging"));
        await _host.FireAsync(ChangeTrigger.AutoApprove, WorkflowActor.Bot);
        _secrets.Stage = RotationStage.Current;

        await FollowAsync(TimeSpan.FromSeconds(10));

        var change = await _host.LoadAsync();
        Assert.Equal(ChangeState.Completed, change.CurrentState);
        Assert.Contains(_host.Chat.Deliveries, d => d.Text.StartsWith("Rotated: AWSCURRENT of securebase-staging-jwt-secret is now version", StringComparison.Ordinal)
                                                    && d.Text.Contains("securebase-staging-session-management (JWT_SECRET_NAME)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_approval_binds_to_the_secret_and_the_version_AWSCURRENT_was_on()
    {
        var other = Rotation();
        other.Spec.SecretVersion = "22222222-bbbb";

        Assert.NotEqual(Rotation().Spec.Digest(), other.Spec.Digest());
        Assert.Equal(Rotation().Spec.Digest(), Rotation().Spec.Digest());
        Assert.Contains("rotate secret securebase-prod-jwt-secret (AWSCURRENT now version 11111111)", Rotation().Spec.Describe());
    }

    private sealed class Rotations
    {
        public RotationStage Stage { get; set; } = RotationStage.Started;
        public List<string> Started { get; } = [];
    }

    private sealed class Preflight : ActivityHandler<PreflightRotation>
    {
        protected override Task<LiveCheck> CheckAsync(PreflightRotation activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);
        protected override Task<ActivityResult> RunAsync(PreflightRotation activity, CancellationToken cancellationToken) =>
            Task.FromResult(PreflightRules.Passed("ok", activity.Approvers.ToDictionary(p => p.UserId, _ => new List<string> { "approver", "security" })));
    }

    private sealed class Start(Rotations secrets) : ActivityHandler<StartRotation>
    {
        protected override Task<LiveCheck> CheckAsync(StartRotation activity, CancellationToken cancellationToken) =>
            Task.FromResult(secrets.Started.Contains(activity.Token) ? LiveCheck.Done("started already") : LiveCheck.Go);

        protected override Task<ActivityResult> RunAsync(StartRotation activity, CancellationToken cancellationToken)
        {
            secrets.Started.Add(activity.Token);
            return Task.FromResult(new ActivityResult("started"));
        }
    }

    private sealed class Check(Rotations secrets) : ActivityHandler<CheckRotation>
    {
        protected override Task<LiveCheck> CheckAsync(CheckRotation activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

        protected override Task<ActivityResult> RunAsync(CheckRotation activity, CancellationToken cancellationToken) =>
            Task.FromResult(new ActivityResult(secrets.Stage.ToString(), JsonSerializer.Serialize(new RotationReading(secrets.Stage, [], null), new JsonSerializerOptions(JsonSerializerDefaults.Web))));
    }
}
