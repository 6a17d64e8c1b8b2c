using Bot.Testing.PagerDuty;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Integrations.Tests.PagerDuty;

/// <summary>Whatever a (validly signed) PagerDuty body holds, the parser answers and never throws.</summary>
public class PagerDutyWebhookParserPropertyTests
{
    private static readonly string[] Payloads =
    [
        "raw/aldaviva.incident.triggered.json", "raw/go-pagerduty.incident.priority_updated.json",
        "zulip.incident.escalated.json", "zulip.incident.reassigned.json", "docs.incident.priority_updated.json",
    ];

    private static readonly JsonNode?[] Junk = [null, JsonValue.Create(42), JsonValue.Create("text"), JsonValue.Create(true), new JsonArray(), new JsonObject()];

    /// <summary>A fixture payload with some fields deleted or replaced by values of the wrong type.</summary>
    private static Gen<string> MangledPayload() =>
        from file in Gen.Elements(Payloads)
        from seed in ArbMap.Default.GeneratorFor<int>()
        from rate in Gen.Elements(0.05, 0.2, 0.5)
        select Mangle(Fixtures.ReadText("pagerduty/webhooks-v3/" + file), new Random(seed), rate);

    private static string Mangle(string json, Random random, double rate)
    {
        var root = JsonNode.Parse(json)!;
        Visit(root, random, rate);
        return root.ToJsonString();
    }

    private static void Visit(JsonNode node, Random random, double rate)
    {
        if (node is not JsonObject obj) return;
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (random.NextDouble() < rate)
            {
                if (random.Next(2) == 0) obj.Remove(key);
                else obj[key] = Junk[random.Next(Junk.Length)]?.DeepClone();
            }
            else if (obj[key] is { } child)
            {
                Visit(child, random, rate);
                if (child is JsonArray array) foreach (var item in array.OfType<JsonNode>()) Visit(item, random, rate);
            }
        }
    }

    [Fact]
    public void The_mangler_produces_both_readable_and_refused_bodies_so_the_property_is_not_vacuous()
    {
        var results = MangledPayload().Sample(500, 10).Select(json => PagerDutyWebhookParser.Parse(Encoding.UTF8.GetBytes(json), out _)).ToList();

        Assert.Contains(results, r => r is null);
        Assert.Contains(results, r => r?.Incident is not null);
        Assert.Contains(results, r => r is not null && r.Incident is null);
    }

    [Property(MaxTest = 300)]
    public Property Any_mangled_payload_is_read_or_refused_without_throwing() =>
        Prop.ForAll(MangledPayload().ToArbitrary(), json =>
        {
            var parsed = PagerDutyWebhookParser.Parse(Encoding.UTF8.GetBytes(json), out var error);
            return (parsed is null) != (error is null);
        });

    [Property(MaxTest = 300)]
    public bool Any_bytes_are_read_or_refused_without_throwing(byte[] body)
    {
        var parsed = PagerDutyWebhookParser.Parse(body, out var error);
        return (parsed is null) != (error is null);
    }
}
