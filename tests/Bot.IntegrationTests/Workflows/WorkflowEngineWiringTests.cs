using System.Net;
using Bot.IntegrationTests.Slack;
using Bot.Workflows.Audit;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.Workflows;

/// <summary>The running bot has the workflow engine wired: store from configuration, audit of every command, <c>/sb audit</c>.</summary>
public sealed class WorkflowEngineWiringTests
{
    [Fact]
    public async Task Signed_commands_show_up_in_the_hash_chained_audit_trail()
    {
        await using var bot = await SlackBot.StartAsync(settings => settings["Rbac:Roles:admin:Users:0"] = "U1ALICE");

        Assert.Equal(HttpStatusCode.OK, (await bot.SlashCommandAsync("help", "help-1")).StatusCode);
        // Help is answered in the ack; its audit record is written just after.
        var audit = bot.Factory.Services.GetRequiredService<IAuditLog>();
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (!(await audit.ListAsync(new AuditQuery(null, null, 10), bound.Token)).Any(r => r.Action == "command:/sb help"))
                await Task.Delay(20, bound.Token);
        }
        Assert.Equal(HttpStatusCode.OK, (await bot.SlashCommandAsync("audit", "audit-1")).StatusCode);

        var answer = Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/audit-1"));
        Assert.Contains("command:/sb help", answer.Body);
        Assert.Contains("command:/sb audit", answer.Body);
        Assert.IsAssignableFrom<IWorkflowStore>(bot.Factory.Services.GetRequiredService<IIdempotencyStore>());
        Assert.True((await bot.Factory.Services.GetRequiredService<IAuditLog>().VerifyAsync(CancellationToken.None)).Intact);
    }
}
