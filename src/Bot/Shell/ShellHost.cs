using Bot.Commands.Routing;
using Bot.Commands.Slack;
using Bot.Hosting;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Shell;

/// <summary>
/// The local terminal chat (like Hubot's shell adapter): the same services, routers and handlers as
/// the Slack server, with a terminal in place of Slack. Needs no credentials: the sandbox AWS account
/// and the SQLite store are the defaults here.
/// </summary>
public static class ShellHost
{
    public static bool IsShellMode(string[] args) => args.Length > 0 && args[0] == "shell";

    /// <summary>Configuration the shell starts from; environment and appsettings still override it.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["Sandbox:Enabled"] = "true",
        ["Store:Provider"] = "sqlite",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var interactive = !Console.IsInputRedirected;
        var ansi = interactive && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        using var host = Build(args.Skip(1).ToArray(), Console.Out, ansi);
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

    /// <summary>The shell's host, printing to <paramref name="output"/>; tests drive it in-process.</summary>
    public static IHost Build(string[] args, TextWriter output, bool ansi, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        // The terminal is for the conversation: only warnings and errors are logged, to stderr.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        configure?.Invoke(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.AddBotServices();
        builder.Services.AddSlackWebApi();
        var channel = builder.Configuration["Slack:OpsChannelId"] is { Length: > 0 } ops ? ops : ShellTerminalOptions.DefaultChannel;
        var files = builder.Configuration["Shell:FilesDirectory"] is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "securebase-ops-bot", "files");
        var settle = TimeSpan.TryParse(builder.Configuration["Shell:SettleTime"], System.Globalization.CultureInfo.InvariantCulture, out var configured) ? configured : TimeSpan.FromSeconds(2);
        builder.Services.AddSingleton(new ShellTerminalOptions(output, ansi, files, channel) { SettleTime = settle });
        builder.Services.AddSingleton<ShellTerminal>();
        builder.Services.AddSingleton<ShellSession>();
        builder.Services.RemoveAll<IChat>();
        builder.Services.AddSingleton<ShellChat>();
        builder.Services.AddSingleton<IChat>(sp => sp.GetRequiredService<ShellChat>());
        builder.Services.RemoveAll<IChannelPoster>();
        builder.Services.AddSingleton<IChannelPoster>(sp => sp.GetRequiredService<ShellChat>());
        builder.Services.TryAddSingleton<IIdempotencyStore, InMemoryIdempotencyStore>();
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }
}
