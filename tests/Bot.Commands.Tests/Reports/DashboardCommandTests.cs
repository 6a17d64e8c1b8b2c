using Bot.Commands.Tests.Security;

namespace Bot.Commands.Tests.Reports;

/// <summary><c>/sb dashboard</c>: the guide's dashboards drawn by (the sandbox's) CloudWatch, or the key metrics when there is none.</summary>
public sealed class DashboardCommandTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await ReviewSandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task Each_metric_widget_of_the_prod_dashboard_is_posted_as_cloudwatchs_png_in_a_thread_with_a_console_link()
    {
        var reply = await _sb.RunAsync("dashboard");

        var anchor = Assert.Single(reply.Posts);
        Assert.Contains("Dashboard SecureBase-Phase4-Prod (prod), last 3 hours: 7 of 7 widgets in the thread", anchor.Message.Text.ToPlainText());
        Assert.Contains(anchor.Message.Text.Spans, s => s is Bot.Workflows.Messages.LinkSpan { Url: "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=SecureBase-Phase4-Prod" });
        Assert.Equal(7, reply.Uploads.Count);
        Assert.All(reply.Uploads, u => Assert.Equal(anchor.Ts, u.ThreadTs));
        Assert.All(reply.Uploads, u => Assert.Equal([0x89, 0x50, 0x4E, 0x47], u.File.Content.Take(4)));
        Assert.Equal(["Lambda invocations", "Lambda errors", "DynamoDB read capacity consumed", "DynamoDB write capacity consumed", "API Gateway requests", "API Gateway latency", "Reports bucket size"],
            reply.Uploads.Select(u => u.File.Title));
    }

    [Theory]
    [InlineData("dashboard staging", "staging has no dashboard SecureBase-Phase4-Staging")]
    [InlineData("dashboard prod --since 1d", "prod has no dashboard SecureBase-Phase4-Prod")]
    public async Task Without_its_dashboard_an_environment_gets_the_guides_key_metrics_as_charts(string command, string expected)
    {
        _sb.Sandbox.Account.Faults.DashboardMissing("SecureBase-Phase4-Prod");

        var reply = await _sb.RunAsync(command);

        var anchor = Assert.Single(reply.Posts);
        Assert.Contains(expected, anchor.Message.Text.ToPlainText());
        Assert.Contains("Lambda invocations, ", string.Join("|", reply.Uploads.Select(u => u.File.Title)));
        Assert.Contains(reply.Uploads, u => u.File.Title.StartsWith("Reports bucket size", StringComparison.Ordinal));
        Assert.Equal(7, reply.Uploads.Count);
    }

    [Theory]
    [InlineData("dashboard --name SecureBase-Phase9", "There is no CloudWatch dashboard SecureBase-Phase9 in this account. Nothing was posted.")]
    [InlineData("dashboard qa", "There is no environment qa")]
    [InlineData("dashboard --since forever", "is not a duration I understand")]
    public async Task Bad_input_gets_a_clear_answer_and_nothing_is_posted(string command, string expected)
    {
        var reply = await _sb.RunAsync(command);

        Assert.Contains(expected, reply.All());
        Assert.Empty(reply.Posts);
        Assert.Empty(reply.Uploads);
    }
}
