using Bot.Testing;
using Bot.Integrations.Aws;
using Bot.Integrations.Slack.BlockKit;
using Microsoft.Extensions.DependencyInjection;
using Bot.Testing.Slack;

namespace Bot.Commands.Tests.Cloud;

/// <summary>Commands against a misbehaving sandbox: slow and failing services, refused and expired keys.</summary>
public sealed class SandboxFaultTests
{
    [Fact]
    public async Task Health_shows_a_slow_service_as_a_warning_and_a_failing_one_as_a_failure_and_still_reports_the_rest()
    {
        await using var cloud = await SandboxCloud.StartAsync(new() { ["SecureBase:HealthProbeTimeout"] = "00:00:02" });
        await cloud.RunAsync("health"); // warm up: first calls pay for JIT and the sandbox's data generation
        cloud.Sandbox.Account.Faults.Latency(TimeSpan.FromSeconds(20), "logs");
        cloud.Sandbox.Account.Faults.Error("GetFunctionConfiguration", "AccessDeniedException", 400, "User is not authorized to perform: lambda:GetFunctionConfiguration");

        var reply = await cloud.RunAsync("health");

        var answer = Assert.Single(reply.Responses).AsSlack();
        var sections = answer.Blocks.OfType<SectionBlock>().Select(b => b.Text!.Text).ToList();
        Assert.Contains(sections, s => s.StartsWith("⚠️ *Error logs (last hour)*: no answer within 2 s", StringComparison.Ordinal));
        Assert.Contains(sections, s => s.StartsWith("❌ *Lambda functions*: access denied (AccessDeniedException)", StringComparison.Ordinal));
        Assert.Contains(sections, s => s.StartsWith("✅ *DynamoDB tables*: all 4 tables ACTIVE", StringComparison.Ordinal));
        Assert.Matches(@"^❌ SecureBase prod health: 1 failure, \d+ warnings?", answer.Text);
    }

    [Fact]
    public async Task Throttling_is_retried_until_it_passes()
    {
        await using var cloud = await SandboxCloud.StartAsync(new() { ["Aws:MaxRetries"] = "3" });
        cloud.Sandbox.Account.Faults.Error("DescribeAlarms", "ThrottlingException", 400, "Rate exceeded", times: 2);

        var reply = await cloud.RunAsync("alarms");

        Assert.StartsWith("🔴 prod: ", Assert.Single(reply.Responses).AsSlack().Text);
    }

    [Fact]
    public async Task A_denied_key_gets_an_ephemeral_access_denied_answer()
    {
        await using var cloud = await SandboxCloud.StartAsync(accessKey: "AKIASANDBOXDENIED001");

        var reply = await cloud.RunAsync("logs user-management");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.True(answer.Ephemeral);
        Assert.Contains("AWS denied access while reading `/aws/lambda/securebase-prod-user-management`", answer.Text);
        Assert.Contains("The bot's IAM role needs `logs:FilterLogEvents`", answer.Text);
    }

    [Fact]
    public async Task Expired_credentials_get_an_ephemeral_answer_saying_to_refresh_them_even_for_health()
    {
        await using var cloud = await SandboxCloud.StartAsync(accessKey: "AKIASANDBOXEXPIRED01");

        var health = await cloud.RunAsync("health");
        var cost = await cloud.RunAsync("cost");

        Assert.All([Assert.Single(health.Responses).AsSlack(), Assert.Single(cost.Responses).AsSlack()], answer =>
        {
            Assert.True(answer.Ephemeral);
            Assert.Contains("credentials have expired", answer.Text);
        });
    }

    [Fact]
    public async Task No_credentials_at_all_gets_an_answer_naming_the_variables_and_the_shell()
    {
        // The SDK's real default chain on a machine with no AWS set up: no keys in the environment,
        // no profile files, and instance metadata switched off (so nothing leaves loopback).
        using var environment = new EnvironmentScope(new()
        {
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null,
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Path.GetTempPath(), "no-such-dir", "credentials"),
            ["AWS_CONFIG_FILE"] = Path.Combine(Path.GetTempPath(), "no-such-dir", "config"),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        });
        await using var cloud = await SandboxCloud.StartAsync(new() { ["Aws:AccessKeyId"] = null, ["Aws:SecretAccessKey"] = null });
        Assert.IsType<SdkDefaultCredentialsProvider>(cloud.Services.GetRequiredService<IAwsCredentialsProvider>());

        var logs = await cloud.RunAsync("logs user-management");
        var health = await cloud.RunAsync("health");

        Assert.All([Assert.Single(logs.Responses).AsSlack(), Assert.Single(health.Responses).AsSlack()], answer =>
        {
            Assert.True(answer.Ephemeral);
            Assert.Contains("I have no AWS credentials", answer.Text);
            Assert.Contains("AWS_PROFILE", answer.Text);
            Assert.Contains("AWS_ACCESS_KEY_ID", answer.Text);
            Assert.Contains("shell", answer.Text);
        });
    }

    /// <summary>Sets environment variables for one test and restores them after.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _saved = new();

        public EnvironmentScope(Dictionary<string, string?> values)
        {
            foreach (var (k, v) in values)
            {
                _saved[k] = Environment.GetEnvironmentVariable(k);
                Environment.SetEnvironmentVariable(k, v);
            }
        }

        public void Dispose()
        {
            foreach (var (k, v) in _saved) Environment.SetEnvironmentVariable(k, v);
        }
    }
}
