using Bot.Commands.Aws;
using Bot.Commands.Cloud;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Workers;

namespace Bot.Hosting;

/// <summary>AWS clients, the sandbox account, and the read-only cloud commands.</summary>
public static class CloudHosting
{
    public const string SandboxSwitch = "--sandbox";

    /// <summary>
    /// The cloud commands and their AWS clients, and the daily health report. With
    /// <c>Sandbox:Enabled=true</c> (the shell's default) or <c>--sandbox</c> on the command line, the
    /// sandbox account is hosted in-process and every AWS client is pointed at it with sandbox keys.
    /// </summary>
    public static IHostApplicationBuilder AddCloudCommands(this IHostApplicationBuilder builder)
    {
        if (SandboxEnabled(builder.Configuration)) builder.UseSandboxAccount();

        builder.Services.AddCloudCommandHandlers();
        builder.Services.AddOptions<DailyHealthReportOptions>().BindConfiguration(DailyHealthReportOptions.Section)
            .Validate(o => o.IsValid(out _), "Reports:DailyHealth needs a valid Cron and TimeZone (e.g. \"0 9 * * 1-5\" and \"Europe/London\").")
            .ValidateOnStart();
        builder.Services.AddHostedService<DailyHealthReport>();
        return builder;
    }

    public static bool SandboxEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool>("Sandbox:Enabled") || Environment.GetCommandLineArgs().Contains(SandboxSwitch, StringComparer.OrdinalIgnoreCase);

    private static void UseSandboxAccount(this IHostApplicationBuilder builder)
    {
        var sandbox = new SandboxOptions();
        builder.Configuration.GetSection(SandboxOptions.SectionName).Bind(sandbox);

        // Sandbox keys and region, unless the configuration names others (e.g. the sandbox's denied key in a test).
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(builder.Configuration["Aws:AccessKeyId"]))
        {
            defaults["Aws:AccessKeyId"] = sandbox.AccessKeyId;
            defaults["Aws:SecretAccessKey"] = sandbox.SecretAccessKey;
        }
        if (string.IsNullOrEmpty(builder.Configuration["Aws:Region"])) defaults["Aws:Region"] = sandbox.Region;
        if (defaults.Count > 0) builder.Configuration.AddInMemoryCollection(defaults);

        builder.Services.AddSandboxAccount();
        builder.Services.AddSingleton<IAwsEndpointOverride, SandboxEndpointOverride>();
    }

    /// <summary>Waits for the in-process sandbox to listen, then sends every AWS call there.</summary>
    private sealed class SandboxEndpointOverride(SandboxEndpoint endpoint) : IAwsEndpointOverride
    {
        public async ValueTask<Uri> GetEndpointAsync(CancellationToken cancellationToken) =>
            await endpoint.Address.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }
}
