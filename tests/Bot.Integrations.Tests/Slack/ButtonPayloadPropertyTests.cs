using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Integrations.Slack;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Integrations.Tests.Slack;

/// <summary>
/// The value a workflow button carries (which aggregate, which trigger, the card's version, the question it asks) and its
/// action id <c>wf:&lt;type&gt;:&lt;trigger&gt;</c>: what the bot writes it reads back; anything else is refused, never thrown on.
/// </summary>
public sealed class ButtonPayloadPropertyTests
{
    private static Gen<string> Text() => ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => s.Get);

    private static Gen<ButtonPayload> Payloads() =>
        from type in Text()
        from id in Text()
        from trigger in Text()
        from version in Gen.Choose(1, int.MaxValue).Select(v => (long)v)
        from ask in Gen.OneOf(Gen.Constant<string?>(null), Text().Select(s => (string?)s))
        select new ButtonPayload(type, id, trigger, version, ask);

    [Property(MaxTest = 500)]
    public Property What_a_button_carries_is_read_back_as_it_was_written() =>
        Prop.ForAll(Payloads().ToArbitrary(), payload =>
        {
            var json = payload.ToJson();
            return json.Length > ButtonPayload.MaxLength ? ButtonPayload.TryParse(json) is null : ButtonPayload.TryParse(json) == payload;
        });

    [Property(MaxTest = 500)]
    public bool Any_text_is_read_as_a_complete_payload_or_refused(string? text)
    {
        var payload = ButtonPayload.TryParse(text);
        return payload is null || (payload.AggregateType.Length > 0 && payload.AggregateId.Length > 0 && payload.Trigger.Length > 0 && payload.Version > 0);
    }

    /// <summary>Payload-shaped JSON with fields missing, empty, of the wrong type or out of range.</summary>
    [Property(MaxTest = 500)]
    public Property Damaged_payloads_are_refused_or_complete() =>
        Prop.ForAll(
            (from t in Field() from i in Field() from g in Field() from v in Gen.Elements("1", "0", "-1", "9223372036854775808", "1.5", "\"1\"", "null", "[]")
             from a in Field()
             select $$"""{"t":{{t}},"i":{{i}},"g":{{g}},"v":{{v}},"a":{{a}}}""").ToArbitrary(),
            json =>
            {
                var payload = ButtonPayload.TryParse(json);
                return payload is null || (payload.AggregateType.Length > 0 && payload.Version > 0);
            });

    private static Gen<string> Field() => Gen.OneOf(Gen.Elements("null", "\"\"", "1", "{}", "[]", "true"), Text().Select(s => JsonSerializer.Serialize(s)));

    [Property(MaxTest = 200)]
    public Property The_action_id_names_the_type_and_the_trigger() =>
        Prop.ForAll(Payloads().ToArbitrary(), p => ButtonPayload.ActionId(p.AggregateType, p.Trigger) == $"wf:{p.AggregateType}:{p.Trigger}");
}
