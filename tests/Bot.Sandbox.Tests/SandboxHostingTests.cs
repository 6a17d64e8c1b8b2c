using System.Net;
using Bot.Sandbox;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.Metrics;
using Bot.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Sandbox.Tests;

public sealed class SandboxHostingTests
{
    [Fact]
    public async Task The_hosted_sandbox_publishes_its_loopback_address_once_started()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSandboxAccount();
        using var host = builder.Build();

        await host.StartAsync();
        var address = await host.Services.GetRequiredService<SandboxEndpoint>().Address.WaitAsync(TimeSpan.FromSeconds(10));
        using var client = new HttpClient();
        var summary = await client.GetAsync(new Uri(address, "_sandbox"));
        await host.StopAsync();

        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
    }

    [Fact]
    public async Task A_sandbox_address_off_loopback_is_refused_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSandboxAccount(o => o.Urls = "http://0.0.0.0:4566");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("loopback", error.Message);
    }

    [Fact]
    public void The_same_seed_and_clock_give_the_same_account()
    {
        var time = new FakeTimeProvider(SandboxHttp.Start);
        var a = new SandboxAccount(new SandboxOptions(), time);
        var b = new SandboxAccount(new SandboxOptions(), time);
        var other = new SandboxAccount(new SandboxOptions { Seed = 7 }, time);
        var minute = MetricModel.MinuteOf(SandboxHttp.Start) - 5;
        var fn = "securebase-prod-session-management";

        Assert.Equal(a.Metrics.Function(a.Function(fn)!, minute).Invocations, b.Metrics.Function(b.Function(fn)!, minute).Invocations);
        Assert.Equal(a.Table("securebase-prod-reports")!.ItemCount, b.Table("securebase-prod-reports")!.ItemCount);
        Assert.Equal((a.Function(fn)!.Latest.CodeSha256, a.Function(fn)!.Latest.RevisionId), (b.Function(fn)!.Latest.CodeSha256, b.Function(fn)!.Latest.RevisionId));
        Assert.NotEqual(a.Table("securebase-prod-reports")!.ItemCount, other.Table("securebase-prod-reports")!.ItemCount);
    }
}
