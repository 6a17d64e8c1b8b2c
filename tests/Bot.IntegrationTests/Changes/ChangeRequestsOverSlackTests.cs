using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.IntegrationTests.Slack;
using Bot.Testing;
using Bot.Testing.Slack;
using static Bot.IntegrationTests.Changes.ChangesOverSlack;

namespace Bot.IntegrationTests.Changes;

/// <summary>Requests that can't become changes get a clear answer and change nothing; the change request form produces a change.</summary>
public sealed class ChangeRequestsOverSlackTests : IAsyncLifetime
{
    private ChangesOverSlack _bot = null!;

    public async Task InitializeAsync() => _bot = await ChangesOverSlack.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("deploy user-management 99", "has no published version 99")]
    [InlineData("deploy user-management $LATEST", "`$LATEST` is not a published version")]
    [InlineData("deploy billing 8", "I don't know a function `billing`")]
    [InlineData("deploy user-management 7", "already points at version 7")]
    [InlineData("deploy user-management 6", "is not what staging runs")]
    [InlineData("deploy user-management 8 --category emergency", "An Emergency change needs `--reason")]
    [InlineData("deploy user-management 8 --incident P0NOPE99 --reason x", "PagerDuty has no incident `P0NOPE99`")]
    [InlineData("rollback user-management --to 99", "has no published version 99")]
    [InlineData("concurrency report-engine lots", "Concurrency is a whole number")]
    [InlineData("config user-management set AWS_REGION=x", "reserved by Lambda")]
    [InlineData("config user-management set NOPE", "is not `KEY=VALUE`")]
    public async Task A_request_that_cannot_become_a_change_is_answered_and_nothing_is_requested(string command, string expected)
    {
        var id = "bad-" + Guid.NewGuid().ToString("N")[..6];

        Ok(await _bot.CommandAsync(command, "alice", id));

        Assert.Contains(expected, await _bot.AnswerAsync(id));
        Assert.DoesNotContain(_bot.Bot.Slack.Requests, r => r.Body.Contains("wf:change:Approve", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_emergency_deploy_may_skip_the_staging_check_and_its_card_says_so()
    {
        Ok(await _bot.CommandAsync("deploy user-management 6 --category emergency --reason \"hotfix\"", "alice", "emergency"));

        await _bot.WaitForCardTextAsync("NOT in staging (Emergency)");
    }

    [Fact]
    public async Task A_secret_value_is_masked_on_the_card_and_never_sent_to_slack()
    {
        Ok(await _bot.CommandAsync("config user-management set DB_PASSWORD=hunter2-new LOG_LEVEL=debug", "alice", "config"));

        await _bot.WaitForCardTextAsync("security reviewer");
        Assert.Contains("It needs the approval of an approver and a security reviewer", await _bot.AnswerAsync("config"));
        Assert.DoesNotContain(_bot.Bot.Slack.Requests, r => r.Body.Contains("hunter2", StringComparison.Ordinal));
        Assert.Contains(_bot.Bot.Slack.Requests, r => r.Body.Contains("DB_PASSWORD", StringComparison.Ordinal) && r.Body.Contains("•••• (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_change_request_form_opens_with_the_templates_fields_and_its_submission_produces_a_change()
    {
        Ok(await _bot.CommandAsync("change new", "alice", "form"));
        var opened = JsonDocument.Parse(Assert.Single(await _bot.Bot.Slack.WaitForAsync(r => r.Path == "/api/views.open")).Body).RootElement;
        var blocks = opened.GetProperty("view").GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("block_id").GetString()).ToList();
        Assert.Equal(["environment", "category", "priority", "risk", "title", "function", "version", "description", "justification", "technical", "impact", "mitigation", "testing", "rollback", "incident"], blocks);

        var submission = JsonNode.Parse(Fixtures.ReadText("slack/payloads/view_submission.bolt-python.json"))!;
        submission["team"]!["id"] = SlackBot.TeamId;
        submission["user"] = new JsonObject { ["id"] = "U1ALICE", ["username"] = "alice", ["name"] = "alice", ["team_id"] = SlackBot.TeamId };
        submission["view"]!["callback_id"] = "change.new";
        submission["view"]!["hash"] = "form-1";
        var values = new JsonObject();
        void Text(string block, string value) => values[block] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = value } };
        void Pick(string block, string value) => values[block] = new JsonObject { ["value"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = value } } };
        Pick("environment", "prod"); Pick("category", "standard"); Pick("priority", "high"); Pick("risk", "low");
        Text("title", "Ship user-management 1.8.0"); Text("function", "user-management"); Text("version", "publish");
        Text("description", "Invite e-mails retry"); Text("justification", "Customers lose invites"); Text("impact", "Invites only");
        Text("testing", "Tested in staging"); Text("rollback", "Roll back to v7 from the card");
        submission["view"]!["state"] = new JsonObject { ["values"] = values };

        Ok(await _bot.Bot.SendAsync(_bot.Bot.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(submission.ToJsonString()))));

        await _bot.WaitForCardTextAsync("Ship user-management 1.8.0");
        await _bot.WaitForCardTextAsync("Tested in staging");
    }
}
