using System.Text.Json;
using Bot.Commands.Buttons;
using Bot.Commands.Changes;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Tests.Slack;

/// <summary>
/// The forms the commands ask for reach Slack as the modals they always were: each is compared with the Block Kit the
/// command built itself before forms were neutral.
/// </summary>
public sealed class FormRenderingTests
{
    private static string Json(ModalView view) => JsonSerializer.Serialize(view, BlockKitJson.Options);

    [Fact]
    public void The_change_request_form_is_the_modal_it_always_was()
    {
        (string Id, string Label, bool Multiline, bool Optional, string? Hint)[] textFields =
        [
            ("title", "Title", false, false, "Deploy user-management 1.8.0"),
            ("function", "Function", false, false, "user-management or securebase-prod-user-management"),
            ("version", "Version (a published number, or \"publish\" to publish $LATEST)", false, false, "8 or publish"),
            ("description", "Description", true, false, null),
            ("justification", "Business justification", true, false, null),
            ("technical", "Technical details", true, true, null),
            ("impact", "Impact", true, false, null),
            ("mitigation", "Mitigation", true, true, null),
            ("testing", "Testing plan", true, false, null),
            ("rollback", "Rollback plan", true, false, "Move the PROD alias back to the previous version (one click on the card for 24 h)"),
            ("incident", "PagerDuty incident (Emergency break-glass)", false, true, "P1ABCDE"),
        ];
        static InputBlock Select(string id, string label, string[] values) => new()
        {
            BlockId = id,
            Label = TextObject.Plain(label),
            Element = new StaticSelectElement
            {
                ActionId = "value",
                Options = values.Select(v => new SelectOption { Text = TextObject.Plain(v), Value = v }).ToList(),
                InitialOption = new SelectOption { Text = TextObject.Plain(values[0]), Value = values[0] },
            },
        };
        var before = new ModalView
        {
            CallbackId = ChangeForm.CallbackId,
            Title = TextObject.Plain("Change request"),
            Submit = TextObject.Plain("Request"),
            Close = TextObject.Plain("Cancel"),
            Blocks =
            [
                Select("environment", "Environment", ["prod", "staging", "dev"]),
                Select("category", "Type", ["standard", "emergency", "major"]),
                Select("priority", "Priority", ["low", "medium", "high", "critical"]),
                Select("risk", "Risk level", ["low", "medium", "high"]),
                .. textFields.Select(f => (Block)new InputBlock
                {
                    BlockId = f.Id,
                    Label = TextObject.Plain(f.Label),
                    Optional = f.Optional ? true : null,
                    Element = new PlainTextInputElement { ActionId = "value", Multiline = f.Multiline ? true : null, Placeholder = f.Hint is null ? null : TextObject.Plain(f.Hint) },
                }),
            ],
        };

        Assert.Equal(Json(before), Json(FormRenderer.Render(ChangeForm.View())));
    }

    [Fact]
    public void The_form_a_button_opens_for_a_reason_is_the_modal_it_always_was()
    {
        var payload = new ButtonPayload("change", "CHG-261130-K3FQ", "Reject", 4, "why you reject it");
        var before = new ModalView
        {
            CallbackId = WorkflowButtonHandler.InputCallbackId,
            Title = TextObject.Plain("Reject CHG-261130-K3FQ"),
            Submit = TextObject.Plain("Reject"),
            Close = TextObject.Plain("Cancel"),
            PrivateMetadata = payload.ToJson(),
            Blocks =
            [
                new InputBlock
                {
                    BlockId = WorkflowButtonHandler.InputBlockId,
                    Label = TextObject.Plain("Why you reject it"),
                    Element = new PlainTextInputElement { ActionId = WorkflowButtonHandler.InputActionId, Multiline = true },
                },
            ],
        };

        Assert.Equal(Json(before), Json(FormRenderer.Render(WorkflowButtonHandler.Form(payload, "why you reject it"))));
    }
}
