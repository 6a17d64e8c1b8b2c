using Bot.Integrations.Aws;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.Kms;
using Bot.Integrations.Aws.Lambda;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Integrations.Tests.Aws;

/// <summary>The sandbox account on loopback and the bot's real AWS clients on it (SigV4), with the cloud port over them.</summary>
public sealed class SandboxCloud : IAsyncDisposable
{
    private SandboxCloud(SandboxServer sandbox, ServiceProvider services, LambdaCloud cloud)
    {
        Sandbox = sandbox;
        Services = services;
        Cloud = cloud;
    }

    public SandboxServer Sandbox { get; }
    public ServiceProvider Services { get; }
    public LambdaCloud Cloud { get; }

    public static async Task<SandboxCloud> StartAsync(FakeTimeProvider time)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { ClockSkewTolerance = null }, time);
        var services = StubClients.Build(sandbox.BaseAddress, s => s.AddSingleton<IKmsClient>(sp => new KmsClient(sp.GetRequiredService<AwsOptions>(),
                sp.GetRequiredService<AwsRegionProvider>(), sp.GetRequiredService<AwsEndpointResolver>(), sp.GetRequiredService<IAwsCredentialsProvider>())),
            new Dictionary<string, string?>
            {
                ["Aws:Region"] = sandbox.Account.Options.Region,
                ["Aws:AccessKeyId"] = sandbox.Account.Options.AccessKeyId,
                ["Aws:MaxRetries"] = "1",
            });
        return new SandboxCloud(sandbox, services,
            new LambdaCloud(services.GetRequiredService<ILambdaClient>(), services.GetRequiredService<ICloudWatchClient>(), new CloudAccount(true), time));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
