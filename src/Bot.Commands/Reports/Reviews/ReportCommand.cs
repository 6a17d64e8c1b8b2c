using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews;

/// <summary>
/// <c>/sb report weekly|monthly [env] [--post] [--week YYYY-MM-DD | --month YYYY-MM]</c>: the procedures' weekly or monthly
/// operations review. It says at once that it is building (the sections take a while: Logs Insights, Cost Explorer); without
/// <c>--post</c> the review comes to the asker only, with <c>--post</c> it is posted in the channel with its charts and
/// documents in the thread.
/// </summary>
public sealed class ReportCommand(ReviewBuilder builder, ReviewPublisher publisher, IOptions<SecureBaseOptions> options, TimeProvider time) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "report",
        Summary = "The weekly or monthly operations review: performance, capacity, cost, the bot's operations, security, actions.",
        Usage = "/sb report weekly|monthly [env] [--post] [--week YYYY-MM-DD] [--month YYYY-MM]",
        MaxPositionals = 2,
        Flags =
        [
            new FlagSpec("post", "Post it in the channel, with its charts and documents in the thread (default: only you see it).", TakesValue: false),
            new FlagSpec("week", "Weekly: the day after the week to review (default today: the last 7 days).", ValueHint: "YYYY-MM-DD"),
            new FlagSpec("month", "Monthly: the month to review (default the last one).", ValueHint: "YYYY-MM"),
        ],
        Examples = ["/sb report weekly", "/sb report weekly prod --post", "/sb report monthly --month 2026-02 --post"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var kind = (context.Arguments.Positional(0) ?? "").Trim().ToLowerInvariant() switch
        {
            "weekly" or "week" => ReviewKind.Weekly,
            "monthly" or "month" => ReviewKind.Monthly,
            var other => throw new UsageException(Line.Of(other.Length == 0 ? "Which review? " : Line.Of("There is no report ", Value(other, 30), ". "),
                "Use ", Code("/sb report weekly"), " or ", Code("/sb report monthly"), ".")),
        };
        var env = options.Value.Get(context.Arguments.Positional(1));
        var now = time.GetUtcNow();
        var window = kind == ReviewKind.Weekly ? ReviewPeriods.ParseWeek(context.Arguments.Flag("week"), now) : ReviewPeriods.ParseMonth(context.Arguments.Flag("month"), now);
        var post = context.Arguments.Has("post");
        var sections = builder.SectionsOf(kind);
        await context.RespondEphemeralAsync(Line.Of(Emoji("hourglass_flowing_sand"), $" Building the {kind.ToString().ToLowerInvariant()} review of {env.Name} ({sections.Count} sections: ",
            string.Join(", ", sections.Select(s => s.Title.ToLowerInvariant())), "). ", post ? "It is posted here when ready." : "Only you will see it; add --post to post it."), cancellationToken);

        var review = await builder.BuildAsync(new ReviewScope(kind, env, window, options.Value), cancellationToken);
        if (post)
        {
            await publisher.PostAsync(context.Reply, review, Line.Of("(asked by ", context.User.Mention, ") "), cancellationToken);
            return;
        }
        await context.RespondAsync(ForAsker(review), cancellationToken);
    }

    /// <summary>The whole review in one message for the asker: the summary, then each section; charts and documents come with <c>--post</c>.</summary>
    private static ChatMessage ForAsker(Review review)
    {
        var summary = ReviewMessages.Summary(review);
        var sections = review.Sections.Select(ReviewMessages.Section).ToList();
        return ChatMessage.EphemeralText(Line.Join("\n\n", [summary.Text, .. sections.Select(s => s.Text)])) with
        {
            Blocks = [.. summary.Blocks.Where(b => b is not NoteBlock), .. sections.SelectMany(s => s.Blocks),
                new NoteBlock("Charts and the review's documents come with --post, in the thread of the posted review.")],
        };
    }
}
