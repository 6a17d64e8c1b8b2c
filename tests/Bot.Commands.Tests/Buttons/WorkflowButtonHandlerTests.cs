using Bot.Testing.Workflows;
using Bot.Commands.Tests.Audit;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Commands.Buttons;
using Bot.Commands.Tests.Routing;
using Bot.Testing.Commands;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage.Sqlite;
using Bot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Bot.Testing.Slack;

namespace Bot.Commands.Tests.Buttons;

/// <summary>Clicks and forms become typed triggers with the card's version, the clicker's identity and an idempotency key.</summary>
public sealed class WorkflowButtonHandlerTests : IAsyncLifetime
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));
    private WorkflowHost _host = null!;
    private WorkflowButtonHandler _handler = null!;

    public async Task InitializeAsync()
    {
        var store = new SqliteWorkflowStore(_path, _time);
        await store.InitializeAsync(CancellationToken.None);
        _host = new WorkflowHost(store, _time);
        _handler = new WorkflowButtonHandler(_host.Engine, new FixedOptions<Bot.Integrations.Slack.SlackOptions>(new() { OpsChannelId = "C0OPS" }), NullLogger<WorkflowButtonHandler>.Instance);
        await _host.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "deploy api v42", Ana), Ana, null, null, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }

    private static InteractionRequest Click(string trigger, string user, long version = 1, string actionTs = "1700000000.000100", string? askFor = null, string? input = null, Transport transport = Transport.Slack) => new()
    {
        Type = InteractionRequest.BlockActions,
        Id = ButtonPayload.ActionId(SampleApproval.Type, trigger),
        Value = new ButtonPayload(SampleApproval.Type, "a1", trigger, version, askFor).ToJson(),
        User = new Actor(user, user.ToLowerInvariant()),
        ChannelId = "C0OPS",
        RequestId = actionTs,
        InputText = input,
        Transport = transport,
    };

    private async Task<SampleApproval> LoadAsync() =>
        (SampleApproval)SampleApproval.Definition.Restore((await _host.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None))!);

    [Fact]
    public void Every_trigger_of_every_registered_workflow_has_its_action_id_and_the_form_its_callback_id()
    {
        Assert.Contains("wf:sample-approval:Approve", _handler.Ids);
        Assert.Contains("wf:sample-approval:Reject", _handler.Ids);
        Assert.Contains(WorkflowButtonHandler.InputCallbackId, _handler.Ids);
    }

    [Fact]
    public async Task A_click_fires_the_trigger_as_the_clicker_and_answers_nothing_since_the_card_changes()
    {
        var reply = new RecordingReplyChannel();

        await _handler.HandleAsync(Click("Approve", "U0BEN"), reply, CancellationToken.None);

        Assert.Equal((ApprovalState.Applying, "u0ben"), ((await LoadAsync()).CurrentState, (await LoadAsync()).Data.DecidedBy));
        Assert.Empty(reply.Responses);
    }

    [Fact]
    public async Task The_same_click_delivered_twice_is_one_trigger()
    {
        var reply = new RecordingReplyChannel();

        await _handler.HandleAsync(Click("Approve", "U0BEN"), reply, CancellationToken.None);
        await _handler.HandleAsync(Click("Approve", "U0BEN"), reply, CancellationToken.None);

        Assert.Equal(2, (await LoadAsync()).Version);
        Assert.StartsWith("Already handled", Assert.Single(reply.Responses).AsSlack().Text);
    }

    [Fact]
    public async Task A_click_on_an_outdated_card_tells_the_clicker_alone_what_happened()
    {
        await _handler.HandleAsync(Click("Approve", "U0BEN"), new RecordingReplyChannel(), CancellationToken.None);
        var reply = new RecordingReplyChannel();

        await _handler.HandleAsync(Click("Reject", "U0CY", actionTs: "1700000001.000100", askFor: null), reply, CancellationToken.None);

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.True(answer.Ephemeral);
        Assert.Contains("That card is out of date: sample-approval a1 is Applying (Approve by @u0ben at 14:02 UTC)", answer.Text);
    }

    [Fact]
    public async Task A_button_that_asks_for_a_reason_opens_a_form_then_the_form_fires_with_the_text()
    {
        var reply = new RecordingReplyChannel();
        await _handler.HandleAsync(Click("Reject", "U0BEN", askFor: "a reason"), reply, CancellationToken.None);
        var form = Assert.Single(reply.Forms);
        Assert.Equal(WorkflowButtonHandler.InputBlockId, Assert.Single(form.Fields).Id);
        Assert.Equal(ApprovalState.Pending, (await LoadAsync()).CurrentState);

        await _handler.HandleAsync(new InteractionRequest
        {
            Type = InteractionRequest.ViewSubmission,
            Id = WorkflowButtonHandler.InputCallbackId,
            PrivateMetadata = form.PrivateMetadata,
            ViewValues = new Dictionary<string, string?> { ["input.text"] = "  not during the <!here> freeze  " },
            User = new Actor("U0BEN", "ben"),
            RequestId = "view-hash-1",
        }, reply, CancellationToken.None);

        var approval = await LoadAsync();
        Assert.Equal((ApprovalState.Rejected, "not during the <!here> freeze"), (approval.CurrentState, approval.Data.Reason));
    }

    [Fact]
    public async Task In_the_shell_the_reason_comes_with_the_click()
    {
        var reply = new RecordingReplyChannel { CanOpenForms = false };

        await _handler.HandleAsync(Click("Reject", "U0BEN", askFor: "a reason"), reply, CancellationToken.None);
        await _handler.HandleAsync(Click("Reject", "U0BEN", actionTs: "2", askFor: "a reason", input: "wrong version", transport: Transport.Shell), reply, CancellationToken.None);

        Assert.Equal("This button asks for a reason first; nothing was changed.", reply.Responses.First().AsSlack().Text);
        Assert.Equal("wrong version", (await LoadAsync()).Data.Reason);
    }

    [Fact]
    public async Task A_click_from_outside_the_ops_channel_changes_nothing()
    {
        var reply = new RecordingReplyChannel();

        await _handler.HandleAsync(Click("Approve", "U0BEN") with { ChannelId = "D0DM" }, reply, CancellationToken.None);

        Assert.Equal("Workflow buttons work only in <#C0OPS>, where the team sees them. Nothing was changed.", Assert.Single(reply.Responses).AsSlack().Text);
        Assert.Equal(1, (await LoadAsync()).Version);
    }


    [Theory]
    [InlineData("wf:sample-approval:Approve", "not json")]
    [InlineData("wf:sample-approval:Approve", """{"t":"sample-approval","i":"a1","g":"Delete","v":1}""")]
    [InlineData("wf:sample-approval:Approve", """{"t":"sample-approval","i":"a1","g":"Reject","v":1}""")]
    [InlineData("wf:sample-approval:Approve", """{"t":"other","i":"a1","g":"Approve","v":1}""")]
    public async Task A_button_whose_value_does_not_match_changes_nothing(string actionId, string value)
    {
        var reply = new RecordingReplyChannel();

        await _handler.HandleAsync(Click("Approve", "U0BEN") with { Id = actionId, Value = value }, reply, CancellationToken.None);

        Assert.Equal("That button is not valid any more. Nothing was changed.", Assert.Single(reply.Responses).AsSlack().Text);
        Assert.Equal(1, (await LoadAsync()).Version);
    }
}
