using Bot.Commands.Tests.Security;

namespace Bot.Commands.Tests.Reports;

/// <summary><c>/sb report weekly</c>: the procedures' weekly review from the sandbox's history, section by section.</summary>
public sealed class WeeklyReviewTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await ReviewSandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task The_review_has_every_section_week_over_week_and_the_actions_the_procedures_name()
    {
        var reply = await _sb.RunAsync("report weekly");
        var text = reply.All();

        Assert.Contains("Building the weekly review of prod (6 sections: lambda functions, dynamodb tables, api gateway, cost, the bot's operations, security)", text);
        Assert.Contains("Weekly operations review, prod, week to 2026-03-01", text);
        foreach (var row in new[] { "user-management", "session-management", "report-engine" })
            Assert.Matches($@"\n{row} +[\d,]+ +(▲|▼) [\d.]+ %", text);
        Assert.Matches(@"\nactivity-feed +[\d,]+ ", text);
        Assert.Matches(@"\nsecurebase-prod-api +[\d,]+ ", text);
        Assert.Matches(@"\ntotal +\$[\d,.]+ +\$[\d,.]+ ", text);
        Assert.Contains("Changes: 0 in the period", text);
        Assert.Contains("Secrets: 5 in prod, 2 critical", text);
        Assert.Contains("Credential rotations to plan", text);
        Assert.Contains("Rotate securebase-prod-jwt-secret (67 days old)", text);
        Assert.Contains("Maintenance to schedule", text);
        Assert.Matches(@"securebase-prod-user-management: \$LATEST holds a release that PROD \(version 7[^)]*\) does not run yet; schedule its deploy: /sb deploy securebase-prod-user-management --publish", text);
        Assert.Empty(reply.Posts);
        Assert.All(reply.Responses, r => Assert.True(r.Ephemeral));
    }

    [Fact]
    public async Task Posted_it_goes_to_the_channel_with_each_section_its_charts_and_the_markdown_in_the_thread()
    {
        var reply = await _sb.RunAsync("report weekly --post");

        var posts = reply.Posts.ToList();
        Assert.StartsWith("(asked by", posts[0].Message.Text.ToPlainText());
        Assert.Null(posts[0].ThreadTs);
        Assert.Equal(6, posts.Count(p => p.ThreadTs == posts[0].Ts));
        var files = reply.Uploads.Select(u => u.File.FileName).ToList();
        Assert.Contains("weekly_report_20260302.md", files);
        Assert.Equal(5, files.Count);
        Assert.All(reply.Uploads, u => Assert.Equal(posts[0].Ts, u.ThreadTs));
        var markdown = System.Text.Encoding.UTF8.GetString(reply.Uploads.Single(u => u.File.FileName.EndsWith(".md", StringComparison.Ordinal)).File.Content);
        Assert.Contains("# Weekly operations review, prod, week to 2026-03-01", markdown);
        Assert.Contains("## Lambda functions", markdown);
        Assert.Contains("## Security", markdown);
        Assert.Contains("![Invocations per day, prod](invocations-per-day--prod.png)", markdown);
    }

    [Fact]
    public async Task A_section_that_fails_is_named_with_its_reason_and_the_rest_still_come()
    {
        _sb.Sandbox.Account.Faults.Error("GetCostAndUsage", "InternalServiceError", 500, "Cost Explorer is down", times: 5);

        var text = (await _sb.RunAsync("report weekly")).All();

        Assert.Contains("1 could not be read", text);
        Assert.Contains("Cost could not be read:", text);
        Assert.Contains("InternalServiceError", text);
        Assert.Contains("Lambda functions", text);
        Assert.Contains("Secrets: 5 in prod", text);
    }

    [Theory]
    [InlineData("report yearly", "There is no report yearly")]
    [InlineData("report weekly qa", "There is no environment qa")]
    [InlineData("report weekly --week 2026-03-09", "is not over yet: that is in the future")]
    [InlineData("report weekly --week last-monday", "--week takes the day after the week")]
    [InlineData("report monthly --month 2026-03", "2026-03 is not over yet")]
    public async Task Bad_input_gets_a_clear_answer_and_nothing_is_posted(string command, string expected)
    {
        var reply = await _sb.RunAsync(command + " --post");

        Assert.Contains(expected, reply.All());
        Assert.Empty(reply.Posts);
        Assert.Empty(reply.Uploads);
    }
}
