using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Microsoft.Extensions.Options;

namespace Bot.Hosting;

public static class ServerStartup
{
    /// <summary>
    /// Runs the server, but first checks the Slack and PagerDuty settings so a missing secret ends the process with
    /// a plain message naming the variables (and pointing to the shell), not a stack trace.
    /// </summary>
    public static async Task<int> RunServerAsync(this WebApplication app)
    {
        try
        {
            _ = app.Services.GetRequiredService<IOptions<SlackOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<Bot.Integrations.PagerDuty.PagerDutyOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync(failure);
            return 2;
        }
        await app.RunAsync();
        return 0;
    }
}
