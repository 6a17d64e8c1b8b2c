using Bot.Commands.Cloud;
using Bot.Commands.Reports.Reviews;
using Bot.Integrations.Slack;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;

namespace Bot.Workers;

/// <summary>
/// Posts an operations review to the ops channel on its schedule (<see cref="ReviewScheduleOptions"/>), once even when several
/// instances run: each occurrence is claimed in the store's idempotency keys (SQLite or DynamoDB, shared by the instances),
/// and only the instance whose claim is first builds and posts it. Without <c>Slack:OpsChannelId</c> (or a transport that
/// can post) it idles.
/// </summary>
public abstract class ReviewSchedule(
    ReviewKind kind,
    ReviewScheduleOptions options,
    IServiceProvider services,
    IOptions<SecureBaseOptions> secureBase,
    IConfiguration configuration,
    IIdempotencyStore claims,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    /// <summary>Longer than a month, so a claim outlives any occurrence it stands for.</summary>
    public static readonly TimeSpan ClaimRetention = TimeSpan.FromDays(40);

    /// <summary>When the next review is due (set once its timer runs); null while not scheduled.</summary>
    public DateTimeOffset? NextRun { get; private set; }

    public static string ClaimKey(ReviewKind kind, string environment, DateTimeOffset occurrence) =>
        $"review-schedule:{kind.ToString().ToLowerInvariant()}:{environment}:{occurrence.UtcDateTime:yyyyMMddHHmm}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = configuration["Slack:OpsChannelId"];
        var chat = services.GetService<IChannelPoster>();
        if (!options.Enabled)
        {
            logger.LogInformation("The scheduled {Kind} review is off", kind);
            return;
        }
        if (string.IsNullOrWhiteSpace(channel) || chat is null)
        {
            logger.LogInformation("The scheduled {Kind} review is skipped: {Reason}", kind, string.IsNullOrWhiteSpace(channel) ? "Slack:OpsChannelId is not set" : "no chat transport is registered");
            return;
        }
        var cron = options.ParsedCron();
        var zone = options.ParsedTimeZone();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (cron.GetNextOccurrence(now, zone) is not { } next) return;
            logger.LogInformation("Next {Kind} review at {Next:u}", kind, next);
            try
            {
                var wait = Task.Delay(next - now, time, stoppingToken);
                NextRun = next;
                await wait;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RunOnceAsync(chat, channel, next, stoppingToken);
        }
    }

    /// <summary>
    /// Builds and posts the review of <paramref name="occurrence"/> unless another instance claimed it first; true when this one
    /// posted it. Failures are logged, never thrown.
    /// </summary>
    public async Task<bool> RunOnceAsync(IChannelPoster chat, string channel, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var key = ClaimKey(kind, options.Environment, occurrence);
        try
        {
            var claim = await claims.ClaimAsync(key, ClaimRetention, cancellationToken);
            if (!claim.IsFirst)
            {
                logger.LogInformation("The {Kind} review of {Occurrence:u} is another instance's ({Outcome})", kind, occurrence, claim.EarlierOutcome ?? "claimed");
                return false;
            }
            // Recorded at once: a review takes longer than a claim without an outcome is trusted for, and posting twice is
            // worse than missing one (which the log says).
            await claims.CompleteAsync(key, $"building on {System.Environment.MachineName}", cancellationToken);
            var env = secureBase.Value.Get(options.Environment);
            var window = kind == ReviewKind.Weekly ? ReviewPeriods.ParseWeek(null, occurrence) : ReviewPeriods.ParseMonth(null, occurrence);
            var review = await services.GetRequiredService<ReviewBuilder>().BuildAsync(new ReviewScope(kind, env, window, secureBase.Value), cancellationToken);
            await services.GetRequiredService<ReviewPublisher>().PostAsync(new ChannelReply(chat, channel), review, Line.Of("Scheduled: "), cancellationToken);
            await claims.CompleteAsync(key, "posted", cancellationToken);
            logger.LogInformation("The {Kind} review of {Environment} posted: {Attention} section(s) need attention", kind, env.Name, review.NeedAttention.Count);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "The scheduled {Kind} review of {Occurrence:u} could not be posted", kind, occurrence);
            return false;
        }
    }
}

/// <summary>The weekly review on its schedule (<see cref="WeeklyReviewScheduleOptions"/>).</summary>
public sealed class WeeklyReviewSchedule(IOptions<WeeklyReviewScheduleOptions> options, IServiceProvider services, IOptions<SecureBaseOptions> secureBase,
    IConfiguration configuration, IIdempotencyStore claims, TimeProvider time, ILogger<WeeklyReviewSchedule> logger)
    : ReviewSchedule(ReviewKind.Weekly, options.Value, services, secureBase, configuration, claims, time, logger);

/// <summary>The monthly review on its schedule (<see cref="MonthlyReviewScheduleOptions"/>).</summary>
public sealed class MonthlyReviewSchedule(IOptions<MonthlyReviewScheduleOptions> options, IServiceProvider services, IOptions<SecureBaseOptions> secureBase,
    IConfiguration configuration, IIdempotencyStore claims, TimeProvider time, ILogger<MonthlyReviewSchedule> logger)
    : ReviewSchedule(ReviewKind.Monthly, options.Value, services, secureBase, configuration, claims, time, logger);
