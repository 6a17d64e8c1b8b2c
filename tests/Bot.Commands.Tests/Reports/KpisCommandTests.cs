using Bot.Commands.Tests.Security;

namespace Bot.Commands.Tests.Reports;

/// <summary><c>/sb kpis</c>: the procedures' KPIs against their targets, from the sandbox's CloudWatch.</summary>
public sealed class KpisCommandTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await ReviewSandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task The_open_5xx_incident_puts_prod_availability_below_target_and_the_functions_meet_theirs()
    {
        var text = (await _sb.RunAsync("kpis")).All();

        Assert.Contains("KPIs of prod, last 24 hours: 1 below target", text);
        Assert.Matches(@"Execution success rate: \d+\.\d\d % \(target > 99\.5 %\)", text);
        Assert.Matches(@"System availability: 99\.\d\d % \(target > 99\.9 %\) — [\d,]+ 5xx answers in [\d,]+ API requests", text);
        Assert.Contains("E-mail delivery rate: not measured", text);
        Assert.Matches(@"Average execution time: \d+ ms \(target < 5m\)", text);
    }

    [Fact]
    public async Task A_target_comes_from_configuration()
    {
        await using var strict = await ReviewSandbox.StartAsync(new() { ["Reports:Kpis:SuccessRatePercent"] = "99.999" });

        var text = (await strict.RunAsync("kpis staging --period 7d")).All();

        Assert.Contains("KPIs of staging, last 7 days", text);
        Assert.Contains("(target > 99.999 %)", text);
    }

    [Theory]
    [InlineData("Reports:Kpis:AvailabilityPercent", "120")]
    [InlineData("Reports:Kpis:SuccessRatePercent", "0")]
    [InlineData("Reports:Kpis:AverageDuration", "-00:01:00")]
    public async Task A_target_that_is_not_one_is_refused_on_start(string key, string value)
    {
        await using var bad = await ReviewSandbox.StartAsync(new() { [key] = value });

        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<Bot.Commands.Reports.ReportsOptions>>(bad.Services).Value);
    }

    [Theory]
    [InlineData("kpis qa", "There is no environment qa")]
    [InlineData("kpis --period 10m", "--period is at least 1h")]
    [InlineData("kpis --period 2y", "is not a duration I understand")]
    public async Task Bad_input_gets_a_clear_answer_and_nothing_is_posted(string command, string expected)
    {
        var reply = await _sb.RunAsync(command);

        Assert.Contains(expected, reply.All());
        Assert.Empty(reply.Posts);
        Assert.All(reply.Responses, r => Assert.True(r.Ephemeral));
    }
}
