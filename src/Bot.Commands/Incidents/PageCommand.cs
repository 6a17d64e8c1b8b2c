using Bot.Commands.Access;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Events;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Bot.Workflows.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Incidents;

/// <summary>
/// <c>/sb page &lt;service&gt; "&lt;summary&gt;" [--severity critical]</c>: opens a PagerDuty incident on a service through the
/// Events API v2 (its integration key, <c>PagerDuty__RoutingKeys__&lt;service&gt;</c>). The same service and summary paged
/// again within <c>Incidents__PageDedupWindow</c> (10 min) lands on the first page's alert (<see cref="PageDedup"/>), and the
/// answer says so. Needs the incident responder role; runs only in the ops channel, where the incident's thread appears
/// once PagerDuty's webhook arrives.
/// </summary>
public sealed class PageCommand(IServiceProvider services) : ICommandHandler
{
    public const int MaxSummaryLength = 1024;
    private static readonly string[] Severities = ["critical", "error", "warning", "info"];

    public CommandSpec Spec { get; } = new()
    {
        Verb = "page",
        Summary = "Page PagerDuty: open an incident on a service (needs the responder role).",
        Usage = "/sb page <service> \"<summary>\" [--severity critical|error|warning|info]",
        MaxPositionals = 2,
        Flags = [new FlagSpec("severity", "How bad it is (default critical).", ValueHint: "critical")],
        Examples = ["/sb page securebase-prod-lambda \"user-management failing for every login\""],
        ChangesState = true,
        Roles = [Role.Responder],
        RolesNeededTo = "page PagerDuty",
    };

    /// <summary>The waits before each new try when the Events API rate-limits a page (429): 1, 2, 4 and 8 minutes.</summary>
    public static readonly IReadOnlyList<TimeSpan> RateLimitWaits = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8)];

    /// <summary>
    /// Sends the alert; a 429 of the Events API is tried again after minutes (<see cref="RateLimitWaits"/>, or longer when
    /// PagerDuty asks), with the same dedup key so it never lands twice, and the person is told at the first one.
    /// </summary>
    private static async Task<EnqueueResult> TriggerAsync(CommandContext context, PagerDutyEventsClient events, string routingKey, string dedupKey, AlertPayload alert,
        string service, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await events.TriggerAsync(routingKey, dedupKey, alert, cancellationToken);
            }
            catch (PagerDutyRateLimitedException e) when (attempt < RateLimitWaits.Count)
            {
                var wait = e.RetryAfter > RateLimitWaits[attempt] ? e.RetryAfter : RateLimitWaits[attempt];
                if (attempt == 0)
                {
                    await context.RespondAsync(ChatMessage.EphemeralText(Line.Of(Emoji("hourglass_flowing_sand"), " PagerDuty's Events API is rate-limiting pages to ", Value(service),
                        $" right now: the bot sends yours again in {Bot.Workflows.Incidents.Incident.Minutes(wait)} and keeps trying for "
                        + $"{Bot.Workflows.Incidents.Incident.Minutes(RateLimitWaits.Aggregate(TimeSpan.Zero, (a, b) => a + b))} (the same dedup key: it never lands twice).")), cancellationToken);
                }
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var service = context.Arguments.Positional(0) ?? throw new UsageException(Line.Of("Which PagerDuty service? e.g. ", Code("securebase-prod-lambda"), "."));
        var summary = context.Arguments.Positional(1)?.Trim();
        if (string.IsNullOrEmpty(summary)) throw new UsageException("Say what is wrong, in quotes: the incident's title.");
        if (summary.Length > MaxSummaryLength || summary.Any(char.IsControl)) throw new UsageException($"The summary is one line of at most {MaxSummaryLength} characters.");
        var severity = (context.Arguments.Flag("severity") ?? "critical").ToLowerInvariant();
        if (!Severities.Contains(severity)) throw new UsageException($"The severity is one of {string.Join(", ", Severities)}.");
        var events = services.GetRequiredService<PagerDutyEventsClient>();
        var routingKey = events.RoutingKeyFor(service);
        var time = services.GetRequiredService<TimeProvider>();
        // Without a store to remember pages in (a bare client, as in some tests), every page is its own.
        var keys = services.GetService<IIdempotencyStore>();
        var dedup = new PageDedup(keys ?? new InMemoryIdempotencyStore(time), time);
        var window = keys is null ? TimeSpan.Zero : services.GetService<IOptionsMonitor<IncidentOptions>>()?.CurrentValue.PageDedupWindow ?? new IncidentOptions().PageDedupWindow;
        var (dedupKey, earlier) = await dedup.DecideAsync(context.User.UserId, service, summary, window, cancellationToken);
        var alert = new AlertPayload
        {
            Summary = summary,
            Source = service,
            Severity = severity,
            Component = "securebase-ops-bot",
            CustomDetails = new Dictionary<string, string> { ["paged_by"] = context.User.UserName, ["slack_user"] = context.User.UserId },
        };
        var accepted = await TriggerAsync(context, events, routingKey, dedupKey, alert, service, time, cancellationToken);
        if (earlier is null)
        {
            await dedup.RememberAsync(service, summary, new EarlierPage(dedupKey, context.User.UserName, time.GetUtcNow()), cancellationToken);
            await context.RespondAsync(ChatMessage.InChannel(Line.Of(
                Emoji("rotating_light"), " ", context.User.Mention, " paged ", Value(service), ": ", Echo(summary, 200), " ",
                $"(severity {severity}, dedup key ", Value(accepted.DedupKey, 100), "). The incident's thread appears here when PagerDuty confirms it.")), cancellationToken);
            return;
        }
        var ago = time.GetUtcNow() - earlier.At;
        await context.RespondAsync(ChatMessage.InChannel(Line.Of(
            Emoji("repeat"), " ", context.User.Mention, " paged ", Value(service), ": ", Echo(summary, 200), $" — @{earlier.PagedBy} paged the same {Bot.Workflows.Incidents.Incident.Minutes(ago)} ago, ",
            "so it lands on the same alert (dedup key ", Value(accepted.DedupKey, 100), "): PagerDuty adds it there and opens no second incident.")), cancellationToken);
    }
}
