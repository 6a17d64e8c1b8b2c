using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>Renders a <see cref="Form"/> as the modal view <c>views.open</c> takes: an input block per field.</summary>
public static class FormRenderer
{
    public static ModalView Render(Form form) => new()
    {
        CallbackId = form.CallbackId,
        Title = TextObject.Plain(form.Title),
        Submit = form.Submit is null ? null : TextObject.Plain(form.Submit),
        Close = form.Close is null ? null : TextObject.Plain(form.Close),
        PrivateMetadata = form.PrivateMetadata,
        Blocks = form.Fields.Select(Input).ToList<Block>(),
    };

    private static InputBlock Input(FormField field) => new()
    {
        BlockId = field.Id,
        Label = TextObject.Plain(field.Label),
        Optional = field.Optional ? true : null,
        Element = field switch
        {
            ChoiceField choice => new StaticSelectElement
            {
                ActionId = choice.ActionId,
                Options = choice.Choices.Select(Option).ToList(),
                InitialOption = choice.Choices.Count > 0 ? Option(choice.Choices[0]) : null,
            },
            TextField text => new PlainTextInputElement
            {
                ActionId = text.ActionId,
                Multiline = text.Multiline ? true : null,
                Placeholder = text.Placeholder is null ? null : TextObject.Plain(text.Placeholder),
            },
            _ => throw new NotSupportedException($"No Slack rendering for {field.GetType().Name}."),
        },
    };

    private static SelectOption Option(string value) => new() { Text = TextObject.Plain(value), Value = value };
}
