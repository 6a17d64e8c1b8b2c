using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.PagerDuty;
using Bot.Workflows.Audit;
using Bot.Workflows.Changes;
using Microsoft.Extensions.DependencyInjection;
using static Bot.IntegrationTests.Changes.ChangesOverSlack;

namespace Bot.IntegrationTests.Changes;

/// <summary>
/// The holes of issue 18 tried as a reviewer who wants to move production alone would: signed slash commands and clicks
/// (replays and forged payloads included) against the sandbox, on the SQLite and the DynamoDB store.
/// </summary>
public sealed class AdversaryOverSlackTests
{
    public static TheoryData<string> Stores => ["sqlite", "dynamodb"];

    private static SandboxAccount Sandbox(AdversaryOverSlack bot) => bot.Bot.Bot.Factory.Services.GetRequiredService<SandboxAccount>();

    private static string Alias(AdversaryOverSlack bot, string function = Function) => Sandbox(bot).Function(function)!.Aliases["PROD"].Current.Version;

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_secret_given_to_a_config_change_is_in_no_audit_record_no_export_no_log_and_nowhere_in_the_store(string store)
    {
        const string secret = "hunter2-x7Qp";
        var logs = new Bot.Testing.RecordingLoggerProvider();
        await using var bot = await AdversaryOverSlack.StartAsync(store);
        var slack = bot.Bot;
        slack.Bot.Factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logs);

        Ok(await slack.CommandAsync($"config user-management set API_TOKEN={secret} LOG_LEVEL=debug --reason \"rotate the token\"", "carol", "request"));
        Assert.Contains("API_TOKEN=•••• (", await slack.AnswerAsync("request"));
        var approve = await slack.ButtonValueAsync("wf:change:Approve");
        Ok(await slack.ClickAsync("wf:change:Approve", approve, "bob", "bob"));
        await slack.WaitForCardTextAsync("still needed: a security reviewer");
        Ok(await slack.ClickAsync("wf:change:Approve", await slack.ButtonValueAsync("wf:change:Approve", atLeast: 2), "dave", "dave"));
        await slack.WaitForCardTextAsync("Completed");
        Ok(await slack.CommandAsync("audit export --since 1h", "alice", "export"));
        var export = await slack.Bot.Slack.WaitForAsync(r => r.Path is "/api/files.completeUploadExternal" or "/response/export" || r.Path.StartsWith("/upload", StringComparison.Ordinal));

        Assert.Equal(secret, Sandbox(bot).Function(Function)!.Latest.Environment["API_TOKEN"]);
        var audit = slack.Bot.Factory.Services.GetRequiredService<IAuditLog>();
        var records = await audit.ListAsync(new AuditQuery(DateTimeOffset.UtcNow.AddHours(-1), Limit: 500), CancellationToken.None);
        Assert.Contains(records, r => r.Action == "command:/sb config" && r.DetailsJson!.Contains("API_TOKEN=***", StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => (r.DetailsJson ?? "").Contains(secret, StringComparison.Ordinal));
        Assert.True((await audit.VerifyAsync(CancellationToken.None)).Intact);
        Assert.DoesNotContain(export, r => r.Body.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(slack.Bot.Slack.Requests, r => r.Body.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, logs.Text);
        Assert.DoesNotContain(secret, await bot.DumpStoreAsync());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Break_glass_on_an_incident_the_requester_paged_herself_a_minute_earlier_runs_nothing(string store)
    {
        await using var bot = await AdversaryOverSlack.StartAsync(store);
        var slack = bot.Bot;

        Ok(await slack.CommandAsync("page securebase-prod-lambda \"made-up outage\"", "alice", "page"));
        var incident = await WaitForIncidentAsync(bot, "made-up outage");
        Ok(await slack.CommandAsync($"deploy user-management --publish --category emergency --incident {incident} --reason x", "alice", "request"));
        var breakGlass = await slack.ButtonValueAsync("wf:change:BreakGlass");
        Ok(await slack.ClickAsync("wf:change:BreakGlass", breakGlass, "alice", "glass"));

        await slack.WaitForCardTextAsync("break-glass refused: you opened incident");
        Assert.Equal("7", Alias(bot));
        // The outbox sends a card's edit ahead of the messages queued with it, so the requester's DM may follow the card.
        await slack.Bot.Slack.WaitForAsync(r => r.Body.Contains("\"channel\":\"U1ALICE\"", StringComparison.Ordinal) && r.Body.Contains("was refused: you opened incident", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Break_glass_after_the_incident_was_resolved_runs_nothing(string store)
    {
        await using var bot = await AdversaryOverSlack.StartAsync(store);
        var slack = bot.Bot;
        var incident = PagerDutyScenarios.Page(Sandbox(bot), "lambda-errors", "securebase-prod-user-management").Incident.Id;

        Ok(await slack.CommandAsync($"deploy user-management --publish --category emergency --incident {incident} --reason x", "alice", "request"));
        var breakGlass = await slack.ButtonValueAsync("wf:change:BreakGlass");
        Sandbox(bot).PagerDuty.Resolve(incident, PagerDutyAgent.Of(PagerDutyDirectory.Users[0]));
        Ok(await slack.ClickAsync("wf:change:BreakGlass", breakGlass, "alice", "glass"));

        await slack.WaitForCardTextAsync("break-glass refused: incident " + incident + " is resolved");
        Assert.Equal("7", Alias(bot));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_rollback_to_a_newer_version_or_to_one_production_never_served_is_refused_audited_and_publishes_nothing(string store)
    {
        await using var bot = await AdversaryOverSlack.StartAsync(store);
        var slack = bot.Bot;
        Sandbox(bot).PublishVersion(Function); // v8 (1.8.0, what staging runs) published, never deployed
        var versionsBefore = Sandbox(bot).Function(Function)!.Versions.Count;

        Ok(await slack.CommandAsync("rollback user-management --to 6 --reason \"v7 is bad\"", "carol", "never-served"));
        Ok(await slack.CommandAsync("rollback user-management --to 8 --reason \"forward\"", "carol", "newer"));
        Sandbox(bot).UploadCode(Function, "1.9.0"); // CI put a release in $LATEST that staging never ran
        Ok(await slack.CommandAsync("deploy user-management --publish --reason \"ship what CI built\"", "carol", "publish"));

        Assert.Contains("I have no record that `PROD` of `securebase-prod-user-management` ever served `v6`", await slack.AnswerAsync("never-served"));
        Assert.Contains("`v8` is not older than the live `v7`: a rollback only goes back", await slack.AnswerAsync("newer"));
        Assert.Contains("(and nothing was published)", await slack.AnswerAsync("publish"));
        Assert.Equal(versionsBefore, Sandbox(bot).Function(Function)!.Versions.Count);
        Assert.Empty(await slack.Bot.Factory.Services.GetRequiredService<Bot.Workflows.Storage.IWorkflowStore>().ListAggregatesAsync("change", null, 10, CancellationToken.None));
        var refusals = await slack.Bot.Factory.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery(DateTimeOffset.UtcNow.AddHours(-1), Limit: 100), CancellationToken.None);
        Assert.Equal(["rollback-goes-back", "rollback-to-served-version", "staging-first"],
            refusals.Where(r => r.Action == "change refused" && r.ActorName == "carol").Select(r => JsonDocument.Parse(r.DetailsJson!).RootElement.GetProperty("rule").GetString()).Order());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task One_person_with_approver_and_security_fills_one_seat_and_the_card_says_who_is_still_needed(string store)
    {
        await using var bot = await AdversaryOverSlack.StartAsync(store);
        var slack = bot.Bot;

        Ok(await slack.CommandAsync("concurrency report-engine 40 --security --reason \"contain the scraper\"", "alice", "request"));
        Ok(await slack.ClickAsync("wf:change:Approve", await slack.ButtonValueAsync("wf:change:Approve"), "dave", "dave"));
        await slack.WaitForCardTextAsync("as an approver — still needed: a security reviewer (someone other than @dave)");
        var again = await slack.ButtonValueAsync("wf:change:Approve", atLeast: 2);
        Ok(await slack.ClickAsync("wf:change:Approve", again, "dave", "dave-again"));
        Ok(await slack.ClickAsync("wf:change:Approve", again, "alice", "alice"));

        Assert.Contains("You already approved this change", await slack.AnswerAsync("dave-again"));
        Assert.Contains("someone else must approve it (two-person rule)", await slack.AnswerAsync("alice"));
        Assert.NotEqual(40, Sandbox(bot).Function("securebase-prod-report-engine")!.ReservedConcurrency);
    }

    private static async Task<string> WaitForIncidentAsync(AdversaryOverSlack bot, string title)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Sandbox(bot).PagerDuty.Incidents.FirstOrDefault(x => x.Title == title) is { } found) return found.Id;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No incident '{title}' in the sandbox's PagerDuty.");
    }
}
