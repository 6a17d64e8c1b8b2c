using System.Text.Json;
using Bot.IntegrationTests.Slack;

namespace Bot.IntegrationTests.Workflows;

public sealed class StoreReadinessTests
{
    [Fact]
    public async Task Readyz_reports_the_workflow_store_and_its_outbox_backlog()
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        response.EnsureSuccessStatusCode();
        var store = json.RootElement.GetProperty("checks").GetProperty("workflow-store");
        Assert.Equal("healthy", store.GetProperty("status").GetString());
        Assert.Equal("0 outbox message(s) waiting", store.GetProperty("description").GetString());
    }
}
