using Bot.Hosting;
using Bot.PagerDuty;
using Bot.Shell;
using Bot.Slack;

if (ShellHost.IsShellMode(args)) return await ShellHost.RunAsync(args);
if (ProbeMode.IsProbeMode(args)) return await ProbeMode.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddBotServices();
builder.AddSlackTransport();
builder.AddObservability();
builder.AddGracefulShutdown();

var app = builder.Build();
app.MapSlackEndpoints();
app.MapPagerDutyWebhooks();
app.MapProbes();
return await app.RunServerAsync();

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
