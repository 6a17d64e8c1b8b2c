using System.ComponentModel.DataAnnotations;
using Bot.Commands.Changes;

namespace Bot.Commands.Tests.Changes;

/// <summary>Hole 7 (configuration): any watch window of a second or more was accepted, though CloudWatch publishes whole minutes.</summary>
public sealed class ChangeOptionsTests
{
    private static IReadOnlyList<string> Problems(ChangeOptions options) => options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!).ToList();

    [Fact]
    public void A_watch_window_shorter_than_three_whole_minutes_is_refused_on_start()
    {
        var problems = Problems(new ChangeOptions { VerifyWindow = TimeSpan.FromSeconds(40), VerifyInterval = TimeSpan.FromSeconds(10) });

        Assert.Contains(problems, p => p.StartsWith("Changes__VerifyWindow must be at least 3 minutes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Changes__VerifyWindow must be whole periods of one minute", StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_are_valid_and_wait_for_the_metrics_to_be_published()
    {
        var options = new ChangeOptions();

        Assert.Empty(Problems(options));
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), 10L), (options.VerifyWindow, options.MetricLag, options.MinInvocations));
    }

    [Fact]
    public void No_invocations_can_never_be_enough_and_a_freeze_needs_an_end_after_its_start_and_a_reason()
    {
        var at = new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);
        var problems = Problems(new ChangeOptions { MinInvocations = 0, Freeze = [new FreezeOptions { From = at, To = at, Reason = " " }] });

        Assert.Contains(problems, p => p.StartsWith("Changes__MinInvocations must be 1 or more", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Changes__Freeze__0: To", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Changes__Freeze__0__Reason is required", StringComparison.Ordinal));
    }
}
