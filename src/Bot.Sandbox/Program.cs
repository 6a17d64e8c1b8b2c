using System.Runtime.InteropServices;
using Bot.Sandbox.Account;
using Bot.Sandbox.Control;
using Bot.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Bot.Sandbox;

/// <summary>
/// Standalone sandbox: <c>dotnet run --project src/Bot.Sandbox -- --urls http://127.0.0.1:4566</c>.
/// Prints the URL, the credentials to use and the fault endpoints, then serves until Ctrl+C (SIGINT) or SIGTERM.
/// Settings: <c>--urls</c>, and the <c>Sandbox</c> section from the command line (<c>--Sandbox:Seed=7</c>)
/// or the environment (<c>Sandbox__Seed=7</c>).
/// </summary>
internal static class SandboxProgram
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await RunAsync(args, Console.Out, Console.Error, stop.Token);
    }

    /// <summary>Runs the sandbox until <paramref name="stop"/> is cancelled; 0 on a clean stop, 1 when it cannot listen, 2 for bad settings.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken stop)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = new SandboxOptions { Urls = "http://127.0.0.1:4566" };
        configuration.GetSection(SandboxOptions.SectionName).Bind(options);
        if (configuration["urls"] is { Length: > 0 } urls) options.Urls = urls;

        // Each request is printed as one line: operation, status and time taken.
        using var logging = LoggerFactory.Create(b => b
            .AddSimpleConsole(c =>
            {
                c.SingleLine = true;
                c.TimestampFormat = "HH:mm:ss ";
            })
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Bot.Sandbox", LogLevel.Debug));

        SandboxServer server;
        try
        {
            server = await SandboxServer.StartAsync(new SandboxAccount(options, TimeProvider.System), logging, stop);
        }
        catch (ArgumentException ex)
        {
            await errors.WriteLineAsync("sandbox: " + ex.Message);
            return 2;
        }
        catch (IOException ex)
        {
            await errors.WriteLineAsync($"sandbox: cannot listen on {options.Urls}: {ex.Message}");
            return 1;
        }

        await using (server)
        {
            var url = server.BaseAddress.ToString().TrimEnd('/');
            await output.WriteLineAsync($$"""
                SecureBase sandbox AWS account {{options.AccountId}} ({{string.Join(", ", options.Environments)}}) listening on {{url}}

                Point the AWS clients at it:
                  AWS_ENDPOINT_URL={{url}}
                  AWS_REGION={{options.Region}}
                  AWS_ACCESS_KEY_ID={{options.AccessKeyId}}
                  AWS_SECRET_ACCESS_KEY={{options.SecretAccessKey}}
                (any access key works; {{options.DeniedAccessKeyId}} is denied, {{options.ExpiredAccessKeyId}} is expired)
                S3 (the securebase-<env>-reports-{{options.AccountId}} buckets) answers on the same URL, path style:
                  AWS_ENDPOINT_URL_S3={{url}}   (AWSSDK.S3 with ForcePathStyle = true; Debian's aws: --endpoint-url {{url}})

                Its PagerDuty (REST API v2, Events API v2, signed V3 webhooks) for the bot:
                  PagerDuty__ApiBaseUrl={{url}}/pagerduty/
                  PagerDuty__EventsBaseUrl={{url}}/pagerduty-events/
                  PagerDuty__ApiToken={{options.PagerDuty.ApiToken}}
                  PagerDuty__WebhookSecret={{options.PagerDuty.WebhookSecret}}
                  PagerDuty__FromEmail={{Bot.Sandbox.PagerDuty.PagerDutyDirectory.Bot.Email}}
                  PagerDuty__TeamIds__0={{Bot.Sandbox.PagerDuty.PagerDutyDirectory.TeamId}}   (SecureBase's team; {{Bot.Sandbox.PagerDuty.PagerDutyDirectory.PaymentsService.Name}} is another team's)
                (webhooks go to Sandbox__PagerDuty__WebhookUrl, or: curl -X PUT {{url}}/_sandbox/pagerduty/subscription -d '{"url":"http://127.0.0.1:8080/pagerduty/webhooks"}')

                Make it misbehave (no signing needed), e.g.:
                  curl -X POST {{url}}/_sandbox/faults/function-errors -d '{"function":"securebase-prod-user-management"}'
                """);
            foreach (var endpoint in ControlApi.Endpoints) await output.WriteLineAsync("  " + endpoint);
            await output.WriteLineAsync();
            await output.WriteLineAsync("Ctrl+C stops it.");
            await output.FlushAsync(CancellationToken.None);

            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("sandbox: stopped");
            }
        }
        return 0;
    }
}
