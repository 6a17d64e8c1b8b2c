using Bot.Commands.Security;
using Bot.Commands.Security.Feed;
using Bot.Commands.Security.Logins;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Tests.Security;

/// <summary><c>/sb security logins</c> on the sandbox's seeded bursts: counts, classification, Page, the chart; and the Scan path's cap.</summary>
public sealed class FailedLoginViewTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await SecuritySandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task The_burst_of_the_last_day_is_counted_classed_as_suspicious_activity_and_offers_Page()
    {
        var reply = await _sb.RunAsync("security logins");

        var answer = Assert.Single(reply.Responses);
        var text = answer.Text.ToPlainText();
        Assert.Contains("Medium: suspicious activity", text);
        Assert.Contains("203.0.113.x: 140 failed logins within an hour", text);
        Assert.Contains("credential stuffing across", text);
        Assert.Contains("of cust-1007", text);
        Assert.Contains("198.51.100.x: 60 failed logins within an hour", text);
        Assert.Contains("brute force against one user of cust-1003", text);
        Assert.DoesNotContain("203.0.113.57", text);
        Assert.Contains("at most 140 within an hour", text);
        Assert.Contains("Top networks (/24): 203.0.113.x ×", text);
        Assert.Contains("Top customers: cust-1007 ×141, cust-1003 ×60", text);
        var page = answer.Blocks.OfType<CardBlock>().Single().Card.Buttons.Single();
        Assert.Equal("Page", page.Label);
        Assert.StartsWith("page securebase-prod-api \"SecureBase prod: 140 failed logins within one hour, 140 from 203.0.113.x (credential stuffing", page.Command);
        Assert.Contains(answer.Blocks.OfType<NoteBlock>(), n => n.Text.ToPlainText().StartsWith("Read with a Query on ActionIndex", StringComparison.Ordinal));
        var chart = Assert.Single(reply.Uploads);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(chart.File.Content, 1, 3));
    }

    [Fact]
    public async Task Below_the_threshold_there_is_no_Page_and_the_hour_is_not_a_burst()
    {
        await using var quiet = await SecuritySandbox.StartAsync(new() { ["Security:FailedLogins:PageAbove"] = "500", ["Security:FailedLogins:BurstPerAddress"] = "150" });

        var answer = Assert.Single((await quiet.RunAsync("security logins")).Responses);

        Assert.Empty(answer.Blocks.OfType<CardBlock>());
        Assert.Contains("Low: failed login attempts", answer.Text.ToPlainText());
    }

    [Fact]
    public async Task Without_an_index_on_action_the_feed_is_scanned_in_pages_with_the_same_counts_and_the_cap_stops_it()
    {
        var options = _sb.Services.GetRequiredService<IOptions<SecurityOptions>>();
        var items = new WithoutIndexes(_sb.Services.GetRequiredService<IDynamoDbItems>());
        var scanning = new FailedLogins(new ActivityFeedReader(items), options, _sb.Time);
        var env = _sb.Services.GetRequiredService<IOptions<Bot.Commands.Cloud.SecureBaseOptions>>().Value.Get("prod");
        var progress = new List<FeedProgress>();

        var (byQuery, queried) = await _sb.Services.GetRequiredService<FailedLogins>().ReadAsync(env, TimeSpan.FromDays(1), null, default);
        var (byScan, scanned) = await scanning.ReadAsync(env, TimeSpan.FromDays(1), p => { progress.Add(p); return Task.CompletedTask; }, default);
        var capped = Options.Create(new SecurityOptions { FailedLogins = new FailedLoginOptions { PageSize = 200, MaxScannedItems = 1000 } });
        var (_, stopped) = await new FailedLogins(new ActivityFeedReader(items), capped, _sb.Time).ReadAsync(env, TimeSpan.FromDays(1), null, default);
        var message = FailedLoginMessages.Build("prod", "1d", byScan, stopped, capped.Value.FailedLogins);

        Assert.Equal((ActivityFeedReader.QueryMethod, ActivityFeedReader.ScanMethod), (queried.Method, scanned.Method));
        Assert.Equal(byQuery.Total, byScan.Total);
        Assert.Equal(byQuery.Hourly, byScan.Hourly);
        Assert.True(scanned.Scanned > 4000, $"the Scan read {scanned.Scanned} items");
        Assert.Equal(scanned.Pages, progress.Count);
        Assert.True(progress.Select(p => p.Scanned).SequenceEqual(progress.Select(p => p.Scanned).Order()));
        Assert.True(stopped.Capped);
        Assert.Equal(1000, stopped.Scanned);
        Assert.Equal(5, stopped.Pages);
        Assert.Contains("stopped at the cap of 1,000 items (Security__FailedLogins__MaxScannedItems): the counts are partial", message.Blocks.OfType<NoteBlock>().Single().Text.ToPlainText());
    }

    [Theory]
    [InlineData("security logins --since 40d", "reaches back at most 30 days")]
    [InlineData("security nope", "is not a security view")]
    [InlineData("security", "Which view?")]
    public async Task A_bad_request_is_answered_in_words(string command, string expected) =>
        Assert.Contains(expected, (await _sb.RunAsync(command)).All());

    [Fact]
    public async Task An_approver_is_refused_the_security_views_unless_configuration_opens_them()
    {
        var refused = await _sb.RunAsync("security logins", user: "abe");
        await using var open = await SecuritySandbox.StartAsync(new() { ["Security:ViewRoles:0"] = "approver" });
        var opened = await open.RunAsync("security checks", user: "abe");
        var export = await open.RunAsync("compliance export", user: "abe");

        Assert.Contains("To see the security views you need to be a security reviewer or a bot admin", refused.All());
        Assert.Contains("Security checks, prod", opened.All());
        Assert.Contains("To export the compliance record you need to be a security reviewer or a bot admin", export.All());
    }

    /// <summary>The real client, with the table's indexes hidden: the reader must fall back to a Scan.</summary>
    private sealed class WithoutIndexes(IDynamoDbItems inner) : IDynamoDbItems
    {
        public async Task<TableKeys> DescribeKeysAsync(string table, CancellationToken cancellationToken) =>
            (await inner.DescribeKeysAsync(table, cancellationToken)) with { Indexes = [] };

        public Task<ItemPage> QueryAsync(ItemRead read, CancellationToken cancellationToken) => throw new InvalidOperationException("No index: the reader must not Query.");

        public Task<ItemPage> ScanAsync(ItemRead read, CancellationToken cancellationToken) => inner.ScanAsync(read, cancellationToken);
    }
}
