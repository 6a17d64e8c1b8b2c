using System.Text.RegularExpressions;
using Bot.Commands.Tests.Security;

namespace Bot.Commands.Tests.Reports;

/// <summary><c>/sb cost --by environment</c>: the procedures' cost allocation by the Environment tag, then by service.</summary>
public sealed class CostByEnvironmentTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await ReviewSandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task Each_environment_has_its_cost_and_top_services_and_the_untagged_rest_comes_last()
    {
        var reply = await _sb.RunAsync("cost --by environment --period 30d");
        var text = reply.All();

        Assert.Contains("AWS cost by environment, last 30 days", text);
        var rows = text.Split('\n').Where(l => Regex.IsMatch(l, @"^(prod|staging|dev|\(untagged\)) ")).ToList();
        Assert.Equal(["(untagged)", "dev", "prod", "staging"], rows.Select(r => r.Split(' ')[0]).Order(StringComparer.Ordinal));
        Assert.StartsWith("(untagged)", rows[^1]);
        Assert.Contains("AWS Lambda", rows[0]);
        Assert.Single(reply.Uploads);
        Assert.Equal("cost-by-environment-2026-01-31-2026-03-02.png", reply.Uploads.Single().File.FileName);
    }

    [Fact]
    public async Task The_environments_add_up_to_the_total_the_plain_cost_command_gives()
    {
        var byEnvironment = (await _sb.RunAsync("cost --by environment --period 7d")).All();
        var plain = (await _sb.RunAsync("cost --period 7d")).All();

        var total = Regex.Match(plain, @"last 7 days \([^)]*\): (\$[\d,]+\.\d\d)").Groups[1].Value;
        Assert.NotEmpty(total);
        Assert.Contains($"): {total}", byEnvironment);
    }

    [Fact]
    public async Task An_unknown_grouping_names_the_three_that_exist()
    {
        var reply = await _sb.RunAsync("cost --by team");

        Assert.Contains("--by takes service, usage-type or environment", reply.All());
        Assert.Empty(reply.Posts);
    }
}
