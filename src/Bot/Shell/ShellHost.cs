using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Hosting;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Shell;

/// <summary>
/// The local terminal chat (like Hubot's shell adapter): the same services, routers and handlers as
/// the Slack server, with a terminal in place of Slack. Needs no credentials: the sandbox AWS account
/// and its own SQLite store are the defaults here, and only flags change them (<see cref="ShellSafety"/>).
/// </summary>
public static class ShellHost
{
    public static bool IsShellMode(string[] args) => args.Length > 0 && args[0] == "shell";

    public static async Task<int> RunAsync(string[] args)
    {
        var interactive = !Console.IsInputRedirected;
        var ansi = interactive && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        IHost host;
        try
        {
            host = Build(args.Skip(1).ToArray(), Console.Out, ansi, notices: Console.Error);
        }
        catch (ShellSafetyException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        using var _ = host;
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await host.StartAsync(stop.Token);
        int exitCode;
        try
        {
            exitCode = await host.Services.GetRequiredService<ShellSession>().RunAsync(Console.In, interactive, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            exitCode = 0;
        }
        await host.StopAsync(CancellationToken.None);
        return exitCode;
    }

    /// <summary>
    /// Who holds which role in the shell when no <c>Rbac</c> section is configured, so a rehearsal can show the
    /// two-person rule: <c>as alice</c> requests, <c>as bob</c> approves. Shell identities count only against the sandbox.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> RehearsalRoles = new Dictionary<string, string[]>
    {
        ["alice"] = ["approver", "responder"],
        ["bob"] = ["approver", "tech-lead", "responder"],
        ["carol"] = ["approver", "ops-manager"],
        ["dave"] = ["approver", "security"],
        ["erin"] = ["admin", "ops-manager"],
    };

    /// <summary>The shell's channel stands for the ops channel, and the rehearsal roster applies unless roles are configured.</summary>
    private static Dictionary<string, string?> RehearsalDefaults(IConfiguration configuration)
    {
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(configuration["Slack:OpsChannelId"])) defaults["Slack:OpsChannelId"] = ShellTerminalOptions.DefaultChannel;
        // A rehearsal watches a deploy for three minutes, not ten (CloudWatch shows a minute once it is complete).
        if (string.IsNullOrWhiteSpace(configuration["Changes:VerifyWindow"])) defaults["Changes:VerifyWindow"] = "00:03:00";
        if (string.IsNullOrWhiteSpace(configuration["Changes:VerifyInterval"])) defaults["Changes:VerifyInterval"] = "00:00:15";
        // The sandbox publishes a minute's metrics the moment it is complete: no publication lag to wait out.
        if (string.IsNullOrWhiteSpace(configuration["Changes:MetricLag"])) defaults["Changes:MetricLag"] = "00:00:00";
        // Incidents follow the sandbox PagerDuty's own clock, which `/sb sandbox pager speed` speeds up; shell users act
        // as its users (alice@securebase.example …).
        if (string.IsNullOrWhiteSpace(configuration["Escalation:Clock"])) defaults["Escalation:Clock"] = "pagerduty";
        if (Hosting.SandboxHosting.SandboxEnabled(configuration) && string.IsNullOrWhiteSpace(configuration["Rbac:ShellEmailDomain"]))
            defaults["Rbac:ShellEmailDomain"] = "securebase.example";
        if (!configuration.GetSection("Rbac:Roles").GetChildren().Any())
        {
            var members = new Dictionary<string, List<string>>();
            foreach (var (name, roles) in RehearsalRoles)
                foreach (var role in roles)
                    (members.TryGetValue(role, out var list) ? list : members[role] = []).Add(ShellSession.UserFor(name).UserId);
            foreach (var (role, users) in members)
                for (var i = 0; i < users.Count; i++) defaults[$"Rbac:Roles:{role}:Users:{i}"] = users[i];
        }
        return defaults;
    }

    /// <summary>
    /// The shell's host, printing to <paramref name="output"/> (and what it set aside of the server's settings
    /// to <paramref name="notices"/>); tests drive it in-process. Throws <see cref="ShellSafetyException"/>
    /// when the shell's own store is the server's.
    /// </summary>
    public static IHost Build(string[] args, TextWriter output, bool ansi, Action<IConfigurationBuilder>? configure = null,
        Action<IServiceCollection>? configureServices = null, TextWriter? notices = null)
    {
        var (safety, rest) = ShellSafety.FromArgs(args);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = rest,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The terminal is for the conversation: only warnings and errors are logged, to stderr.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        configure?.Invoke(builder.Configuration);
        // Last, so neither the environment nor appsettings (the server's) can point the shell at production.
        var (overrides, setAside) = safety.Apply(builder.Configuration);
        builder.Configuration.AddInMemoryCollection(overrides);
        foreach (var notice in setAside) notices?.WriteLine(notice);
        builder.Configuration.AddInMemoryCollection(RehearsalDefaults(builder.Configuration));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.AddBotServices();
        var channel = builder.Configuration["Slack:OpsChannelId"] is { Length: > 0 } ops ? ops : ShellTerminalOptions.DefaultChannel;
        var files = builder.Configuration["Shell:FilesDirectory"] is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "securebase-ops-bot", "files");
        var settle = TimeSpan.TryParse(builder.Configuration["Shell:SettleTime"], System.Globalization.CultureInfo.InvariantCulture, out var configured) ? configured : TimeSpan.FromSeconds(2);
        builder.Services.AddSingleton(new ShellTerminalOptions(output, ansi, files, channel) { SettleTime = settle });
        builder.Services.AddSingleton<ShellTerminal>();
        builder.Services.AddSingleton<ShellSession>();
        // The shell is the chat: the outbox's messages and the scheduled reports are printed.
        builder.Services.AddSingleton<ShellChat>();
        builder.Services.AddSingleton<IChat>(sp => sp.GetRequiredService<ShellChat>());
        builder.Services.AddSingleton<IChannelPoster>(sp => sp.GetRequiredService<ShellChat>());
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }
}
