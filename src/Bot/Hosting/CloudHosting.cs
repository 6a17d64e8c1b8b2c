using Bot.Commands.Cloud;
using Bot.Workers;

namespace Bot.Hosting;

/// <summary>AWS clients, the sandbox account, and the read-only cloud commands.</summary>
public static class CloudHosting
{
    public static IHostApplicationBuilder AddCloudCommands(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCloudCommandHandlers();

        builder.Services.AddOptions<DailyHealthReportOptions>().BindConfiguration(DailyHealthReportOptions.Section)
            .Validate(o => o.IsValid(out _), "Reports:DailyHealth needs a valid Cron and TimeZone.")
            .ValidateOnStart();
        builder.Services.AddHostedService<DailyHealthReport>();
        return builder;
    }
}
