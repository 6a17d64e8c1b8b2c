using Bot.Sandbox.Account.Dashboards;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// CloudWatch dashboards: ListDashboards (DashboardNamePrefix), GetDashboard (ResourceNotFound, 404, for a dashboard that
/// is not there) and GetMetricWidgetImage (a PNG of the widget drawn from the account's metrics, base64 in
/// <c>MetricWidgetImage</c>).
/// </summary>
internal sealed partial class CloudWatchService
{
    private object ListDashboards(JsonInput input)
    {
        var prefix = input.String("DashboardNamePrefix");
        if (input.String("NextToken") is not null) throw new AwsException("InvalidParameterValueException", "The NextToken is not valid.");
        return new
        {
            DashboardEntries = account.Dashboards.All
                .Where(d => prefix is null || d.Name.StartsWith(prefix, StringComparison.Ordinal))
                .Select(d => new { DashboardName = d.Name, DashboardArn = d.Arn, LastModified = SandboxJson.EpochSeconds(d.LastModified), d.Size })
                .ToList(),
        };
    }

    private object GetDashboard(JsonInput input)
    {
        var name = input.String("DashboardName") ?? throw Missing("DashboardName");
        var dashboard = account.Dashboards.Find(name)
            ?? throw new AwsException("ResourceNotFound", $"Dashboard {name} does not exist", 404);
        return new { DashboardArn = dashboard.Arn, DashboardBody = dashboard.Body, DashboardName = dashboard.Name };
    }

    private object GetMetricWidgetImage(JsonInput input)
    {
        var json = input.String("MetricWidget") ?? throw Missing("MetricWidget");
        var format = input.String("OutputFormat") ?? "png";
        if (format != "png") throw Invalid($"The value {format} for parameter OutputFormat is not valid; the sandbox draws png images.");
        var widget = MetricWidget.Parse(json, account.Time.GetUtcNow());
        return new { MetricWidgetImage = Convert.ToBase64String(WidgetRenderer.Png(account, widget)) };
    }
}
