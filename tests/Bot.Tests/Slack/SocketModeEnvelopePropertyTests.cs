using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Slack.SocketMode;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Tests.Slack;

/// <summary>
/// A Socket Mode envelope, whatever it holds (a payload of any shape, a <c>retry_attempt</c> that is no small number), is
/// dispatched or refused and acknowledged with its envelope id: reading it never throws and so never drops the connection.
/// </summary>
public sealed class SocketModeEnvelopePropertyTests
{
    private static readonly string[] Types = ["slash_commands", "interactive", "events_api", "hello", "disconnect", ""];

    private static Gen<string> RetryAttempts() => Gen.Elements("1", "0", "-1", "1.5", "3000000000", "1e400", "\"2\"", "null", "[]");

    private static Gen<string> Envelopes() =>
        from type in Gen.Elements(Types)
        from payload in Gen.Frequency((4, SlackPayloadPropertyTests.SlackishJson()), (1, Gen.Elements("null", "\"text\"", "[]", "42")))
        from retry in RetryAttempts()
        select $$"""{"envelope_id":"e-1","type":"{{type}}","accepts_response_payload":true,"retry_attempt":{{retry}},"payload":{{Complete(payload)}}}""";

    /// <summary>The generator also truncates payloads; inside an envelope that would make the envelope itself unreadable.</summary>
    private static string Complete(string json)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
            return json;
        }
        catch (JsonException)
        {
            return "{}";
        }
    }

    private static SocketModeEnvelopes Envelopes(SlackWorkQueue queue) =>
        new(new SlackDispatcher(queue, new FixedOptions<SlackOptions>(new SlackOptions { TeamId = "T0TEAM" }), NullLogger<SlackDispatcher>.Instance),
            NullLogger<SocketModeEnvelopes>.Instance);

    [Property(MaxTest = 500)]
    public Property Any_envelope_is_dispatched_or_refused_and_acknowledged_with_its_id() =>
        Prop.ForAll(Envelopes().ToArbitrary(), json =>
        {
            using var document = JsonDocument.Parse(json);
            var type = document.RootElement.GetProperty("type").GetString();
            var ack = Envelopes(new SlackWorkQueue()).Dispatch(type, document.RootElement);
            using var answer = JsonDocument.Parse(SocketModeEnvelopes.Ack("e-1", type, ack));
            return answer.RootElement.GetProperty("envelope_id").GetString() == "e-1";
        });
}
