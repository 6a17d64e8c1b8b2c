using Bot.Commands.Tests.Security;
using Bot.Commands.Cloud;
using Bot.Commands.Reports.Optimization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Tests.Reports;

/// <summary>The guide's four optimization recommendations, each finding the sandbox's planted case and only it.</summary>
public sealed class RecommendationTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await ReviewSandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    private async Task<IReadOnlyList<Recommendation>> FindAsync<T>() where T : IRecommender
    {
        var recommender = _sb.Services.GetServices<IRecommender>().OfType<T>().Single();
        var environments = _sb.Services.GetRequiredService<IOptions<SecureBaseOptions>>().Value.Environments.Values.ToList();
        return await recommender.FindAsync(environments, _sb.Time.GetUtcNow(), CancellationToken.None);
    }

    [Fact]
    public async Task Memory_right_sizing_finds_the_over_provisioned_report_engine_in_each_environment_and_no_other_function()
    {
        var found = await FindAsync<MemoryRightSizing>();

        Assert.Equal(["securebase-dev-report-engine", "securebase-prod-report-engine", "securebase-staging-report-engine"], found.Select(f => f.Resource).Order(StringComparer.Ordinal));
        var prod = found.Single(f => f.Resource == "securebase-prod-report-engine");
        Assert.Matches(@"1024 MB configured, 99 % of its runs in 30 days used at most 2\d\d MB \(\d\d %\); 3\d\d MB would save about \$[\d,.]+ a month", prod.Finding.ToPlainText());
        Assert.Matches(@"/sb config securebase-prod-report-engine --memory 3\d\d", prod.Step.ToPlainText());
        Assert.True(prod.MonthlySaving > 0);
    }

    [Fact]
    public async Task Unused_indexes_finds_the_resource_type_index_nobody_reads_and_no_other()
    {
        var found = await FindAsync<UnusedIndexes>();

        var only = Assert.Single(found);
        Assert.Equal("securebase-prod-activity-feed/ResourceTypeIndex", only.Resource);
        Assert.Matches(@"ResourceTypeIndex on securebase-prod-activity-feed: no reads in 30 days, while [\d,]+ write units were replicated to it", only.Finding.ToPlainText());
    }

    [Fact]
    public async Task Lifecycle_finds_the_staging_bucket_without_a_rule_and_counts_prod_and_dev_rules_as_working()
    {
        var found = await FindAsync<LifecycleRules>();

        var only = Assert.Single(found);
        Assert.Equal($"securebase-staging-reports-{_sb.Sandbox.Account.Options.AccountId}", only.Resource);
        Assert.Contains("no lifecycle rule expires its reports", only.Finding.ToPlainText());
    }

    [Fact]
    public async Task A_rule_that_does_not_expire_what_it_should_is_found_too()
    {
        // The sandbox reports its rules without applying them: ten days on, prod's oldest reports are past its 90 days.
        var bucket = $"securebase-prod-reports-{_sb.Sandbox.Account.Options.AccountId}";
        _sb.Time.Advance(TimeSpan.FromDays(10));

        var found = await FindAsync<LifecycleRules>();

        Assert.Contains(found, f => f.Resource == bucket && f.Finding.ToPlainText().Contains("rule expire-old-reports expires after 90 days, yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Log_retention_finds_the_group_that_never_expires_and_no_other()
    {
        var found = await FindAsync<LogRetention>();

        var only = Assert.Single(found);
        Assert.Equal("/aws/lambda/securebase-prod-session-management", only.Resource);
        Assert.Matches(@"events never expire \(no retention set\), [\d.]+ GB stored, about \$[\d,.]+ a month", only.Finding.ToPlainText());
    }
}
