using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Charts;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Dashboards;

/// <summary>
/// <c>/sb dashboard [prod|staging|dev] [--name NAME] [--since 3h]</c>: the operations guide's CloudWatch dashboard of an
/// environment (<c>Reports__Dashboards__&lt;env&gt;</c>, default <c>SecureBase-Phase4-&lt;Env&gt;</c>): each metric widget drawn by
/// CloudWatch itself (GetMetricWidgetImage) and posted as an image in a thread, with a link to the console. An environment
/// without its dashboard gets the guide's key metrics as charts instead; a dashboard named with <c>--name</c> that does not
/// exist is a clear answer and nothing is posted.
/// </summary>
public sealed class DashboardCommand(
    ICloudWatchClient cloudWatch,
    KeyMetricCharts keyMetrics,
    AwsRegionProvider region,
    IOptions<SecureBaseOptions> secureBase,
    IOptions<ReportsOptions> reports,
    ILogger<DashboardCommand> logger) : ICommandHandler
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(3);

    public CommandSpec Spec { get; } = new()
    {
        Verb = "dashboard",
        Summary = "The CloudWatch dashboard of an environment, each widget as CloudWatch draws it, with a link to the console.",
        Usage = "/sb dashboard [prod|staging|dev] [--name NAME] [--since 3h]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("name", "A dashboard by name (default the environment's, Reports__Dashboards__<env>).", ValueHint: "NAME"),
            new FlagSpec("since", "How far back the widgets show: 1h, 3h, 1d, 1w (default 3h).", ValueHint: "3h"),
        ],
        Examples = ["/sb dashboard", "/sb dashboard dev --since 1d", "/sb dashboard --name SecureBase-Phase4-Prod"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var env = context.Arguments.Environment(secureBase.Value);
        var since = DurationParser.Parse(context.Arguments.Flag("since"), DefaultSince);
        var named = context.Arguments.Flag("name")?.Trim();
        if (named is { Length: 0 or > 255 } || named?.Any(char.IsControl) == true)
            throw new UsageException(Line.Of(Code("--name"), " takes a dashboard name of at most 255 characters."));
        var name = named ?? reports.Value.DashboardOf(env.Name);
        var console = $"https://console.aws.amazon.com/cloudwatch/home?region={Uri.EscapeDataString(region.Region)}#dashboards:name={Uri.EscapeDataString(name)}";

        GetDashboardResponse? dashboard;
        try
        {
            dashboard = await cloudWatch.GetDashboardAsync(name, cancellationToken);
        }
        catch (AwsServiceException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            if (named is not null)
                throw new UserFacingException(Line.Of(Emoji("mag"), " There is no CloudWatch dashboard ", Value(name, 255), " in this account. Nothing was posted. ",
                    Code("/sb dashboard " + env.Name), " shows the environment's."));
            dashboard = null;
        }
        catch (Exception e) when (AwsFailures.ToUserFacing(e, Line.Of("reading the dashboard ", Value(name, 255))) is { } failure)
        {
            throw failure;
        }

        if (dashboard is null)
        {
            await KeyMetricsAsync(context, env, name, since, cancellationToken);
            return;
        }
        var widgets = DashboardWidgets.Parse(dashboard.DashboardBody, since);
        if (widgets.Count == 0)
        {
            await context.RespondEphemeralAsync(Line.Of(Emoji("grey_question"), " The dashboard ", Value(name, 255), " has no metric widgets to draw. Open it in the console: ", Link(console, name), "."), cancellationToken);
            return;
        }
        await context.RespondEphemeralAsync(Line.Of(Emoji("hourglass_flowing_sand"), $" Asking CloudWatch to draw the {widgets.Count} widgets of ", Value(name, 255), "…"), cancellationToken);
        var files = new List<ChatFile>();
        var failed = new List<string>();
        foreach (var (widget, i) in widgets.Select((w, i) => (w, i)))
        {
            try
            {
                var png = await cloudWatch.GetMetricWidgetImageAsync(widget.MetricWidget, cancellationToken);
                files.Add(new ChatFile($"{i + 1:00}-{new Chart(widget.Title, "", []).FileName}", widget.Title, png));
            }
            catch (Exception e) when (e is AwsServiceException or AwsTimeoutException or AwsUnreachableException)
            {
                logger.LogWarning(e, "Widget {Widget} of {Dashboard} could not be drawn", widget.Title, name);
                failed.Add($"{widget.Title} ({AwsFailures.ShortReason(e)})");
            }
        }
        var anchor = ChatMessage.InChannel(Line.Of(Emoji("bar_chart"), " Dashboard ", Strong(name), $" ({env.Name}), last {ReportWindow.Describe(since)}: {files.Count} of {widgets.Count} widgets in the thread — ",
            Link(console, "open it in the CloudWatch console"), " (asked by ", context.User.Mention, ")",
            failed.Count == 0 ? null : Line.Of(". Not drawn: ", string.Join("; ", failed))));
        if (files.Count == 0)
        {
            await context.RespondAsync(anchor with { Ephemeral = true }, cancellationToken);
            return;
        }
        await ThreadFollowUp.PostAsync(context.Reply, anchor, [], files, logger, cancellationToken);
    }

    private async Task KeyMetricsAsync(CommandContext context, SecureBaseEnvironment env, string missing, TimeSpan since, CancellationToken cancellationToken)
    {
        var charts = await keyMetrics.BuildAsync(env, secureBase.Value.ReportsBucketOf(env), since, cancellationToken);
        var files = charts.Select(c => ChartImage.TryDraw(c) is { } png ? new ChatFile(c.FileName, c.Title, png) : null).OfType<ChatFile>().ToList();
        var anchor = ChatMessage.InChannel(Line.Of(Emoji("bar_chart"), $" {env.Name} has no dashboard ", Code(missing), $", so here are the operations guide's key metrics, last {ReportWindow.Describe(since)}: ",
            $"{files.Count} charts in the thread (Lambda invocations and errors, DynamoDB capacity consumed, API Gateway requests and latency, the reports bucket's size). Asked by ", context.User.Mention, "."));
        if (files.Count == 0)
        {
            await context.RespondEphemeralAsync(Line.Of(Emoji("warning"), $" {env.Name} has no dashboard ", Code(missing), ", and its key metrics could not be drawn here (no data, or no graphics library on this server)."), cancellationToken);
            return;
        }
        await ThreadFollowUp.PostAsync(context.Reply, anchor, [], files, logger, cancellationToken);
    }
}
