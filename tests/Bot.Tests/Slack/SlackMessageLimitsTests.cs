using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using System.Text;
using System.Text.Json;
using Bot.Integrations.Slack.BlockKit;
using Bot.Integrations.Slack.WebApi;

namespace Bot.Tests.Slack;

/// <summary>Slack's limits (40,000 characters of text, 50 blocks, 3,000 per section …) hold on every way a message leaves the bot.</summary>
public class SlackMessageLimitsTests
{
    private static readonly string Huge = new('x', 100_000);

    private static IReadOnlyList<Block> OversizeBlocks() =>
    [
        HeaderBlock.Of(new string('h', 400)),
        new SectionBlock { Text = TextObject.Markdown(new string('s', 5_000)), Fields = Enumerable.Range(0, 14).Select(_ => TextObject.Markdown(new string('f', 2_500))).ToList() },
        new ContextBlock { Elements = Enumerable.Range(0, 14).Select(i => TextObject.Markdown($"c{i}")).ToList() },
        .. Enumerable.Range(0, 70).Select(i => SectionBlock.Markdown($"line {i}")),
    ];

    /// <summary>Fails unless <paramref name="body"/> (a request to Slack) is within Slack's limits.</summary>
    private static void AssertWithinLimits(string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.InRange(root.GetProperty("text").GetString()!.Length, 1, SlackMessageLimits.MaxText);
        if (!root.TryGetProperty("blocks", out var blocks)) return;
        Assert.InRange(blocks.GetArrayLength(), 0, SlackMessageLimits.MaxBlocks);
        foreach (var block in blocks.EnumerateArray())
        {
            switch (block.GetProperty("type").GetString())
            {
                case "header":
                    Assert.InRange(block.GetProperty("text").GetProperty("text").GetString()!.Length, 1, SlackMessageLimits.MaxHeaderText);
                    break;
                case "section":
                    if (block.TryGetProperty("text", out var text)) Assert.InRange(text.GetProperty("text").GetString()!.Length, 1, SlackMessageLimits.MaxSectionText);
                    if (block.TryGetProperty("fields", out var fields))
                    {
                        Assert.InRange(fields.GetArrayLength(), 1, SlackMessageLimits.MaxFields);
                        foreach (var f in fields.EnumerateArray()) Assert.InRange(f.GetProperty("text").GetString()!.Length, 1, SlackMessageLimits.MaxFieldText);
                    }
                    break;
                case "context":
                    Assert.InRange(block.GetProperty("elements").GetArrayLength(), 1, SlackMessageLimits.MaxContextElements);
                    break;
            }
        }
    }

    [Fact]
    public void Fit_cuts_text_blocks_sections_fields_headers_and_context_to_slacks_limits_and_marks_the_cut()
    {
        var fitted = SlackMessageLimits.Fit(Huge, SlackMessageLimits.ToJson(OversizeBlocks()));

        Assert.True(fitted.Cut);
        Assert.EndsWith("…", fitted.Text);
        AssertWithinLimits(JsonSerializer.Serialize(new { text = fitted.Text, blocks = fitted.Blocks }));
        Assert.Contains("cut", fitted.Blocks!.Value[SlackMessageLimits.MaxBlocks - 1].GetRawText());
    }

    /// <summary>Each limit at its edge (within) and one past it (over), one at a time.</summary>
    public static TheoryData<string, bool> Edges => new()
    {
        { "text", true }, { "blocks", true }, { "section", true }, { "fields", true }, { "field", true }, { "context", true },
        { "context element", true }, { "header", true }, { "buttons", true }, { "button", true }, { "alt text", true },
        { "text", false }, { "blocks", false }, { "section", false }, { "fields", false }, { "field", false }, { "context", false },
        { "context element", false }, { "header", false }, { "buttons", false }, { "button", false }, { "alt text", false },
    };

    private static (string Text, IReadOnlyList<Block> Blocks) AtEdge(string what, bool within)
    {
        int N(int limit) => within ? limit : limit + 1;
        var text = what == "text" ? new string('t', N(SlackMessageLimits.MaxText)) : "t";
        Block block = what switch
        {
            "section" => SectionBlock.Markdown(new string('s', N(SlackMessageLimits.MaxSectionText))),
            "fields" => new SectionBlock { Fields = Enumerable.Range(0, N(SlackMessageLimits.MaxFields)).Select(_ => TextObject.Markdown("f")).ToList() },
            "field" => new SectionBlock { Fields = [TextObject.Markdown(new string('f', N(SlackMessageLimits.MaxFieldText)))] },
            "context" => new ContextBlock { Elements = Enumerable.Range(0, N(SlackMessageLimits.MaxContextElements)).Select(_ => TextObject.Markdown("c")).ToList() },
            "context element" => ContextBlock.Markdown(new string('c', N(SlackMessageLimits.MaxSectionText))),
            "header" => HeaderBlock.Of(new string('h', N(SlackMessageLimits.MaxHeaderText))),
            "buttons" => new ActionsBlock { Elements = Enumerable.Range(0, N(SlackMessageLimits.MaxActionsElements)).Select(i => ButtonElement.Create($"a{i}", "b")).ToList() },
            "button" => new ActionsBlock { Elements = [ButtonElement.Create("a", new string('b', N(SlackMessageLimits.MaxButtonText)))] },
            "alt text" => new ImageBlock { ImageUrl = "https://example.com/x.png", AltText = new string('a', N(SlackMessageLimits.MaxAltText)) },
            _ => SectionBlock.Markdown("s"),
        };
        var count = what == "blocks" ? N(SlackMessageLimits.MaxBlocks) : 1;
        return (text, Enumerable.Repeat(block, count).ToList());
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void The_quick_check_and_the_cut_agree_at_every_limit(string what, bool within)
    {
        var (text, blocks) = AtEdge(what, within);

        Assert.Equal(within, SlackMessageLimits.WithinLimits(text, blocks));
        Assert.Equal(!within, SlackMessageLimits.Fit(text, SlackMessageLimits.ToJson(blocks)).Cut);
        var payload = JsonDocument.Parse(SlackResponsePayload.Utf8Json(new SlackMessage { Text = text, Blocks = blocks })).RootElement;
        AssertWithinLimits(payload.GetRawText());
    }

    [Fact]
    public void A_response_within_the_limits_is_the_same_json_whichever_way_it_is_built()
    {
        IReadOnlyList<Block> blocks = [HeaderBlock.Of("Help"), SectionBlock.Markdown("*hi* &lt;there&gt;"), new ActionsBlock { Elements = [ButtonElement.Create("a", "Go", "v", "primary")] }];
        var message = new SlackMessage { Text = "hi", Blocks = blocks };

        var quick = Encoding.UTF8.GetString(SlackResponsePayload.Utf8Json(message));
        var cutPath = JsonSerializer.Serialize(new SlackResponsePayload
        {
            Text = "hi", Blocks = SlackMessageLimits.Fit("hi", SlackMessageLimits.ToJson(blocks)).Blocks, ResponseType = "ephemeral",
        }, BlockKitJson.Options);

        Assert.Equal(cutPath, quick);
    }

    [Fact]
    public void A_message_within_the_limits_passes_unchanged()
    {
        var blocks = SlackMessageLimits.ToJson([SectionBlock.Markdown("*hi* &lt;there&gt;")]);

        var fitted = SlackMessageLimits.Fit("hi", blocks);

        Assert.False(fitted.Cut);
        Assert.Equal("hi", fitted.Text);
        Assert.Equal(blocks!.Value.GetRawText(), fitted.Blocks!.Value.GetRawText());
    }

    [Fact]
    public void A_cut_never_leaves_half_an_entity()
    {
        var text = new string('a', SlackMessageLimits.MaxText - 3) + "&lt;!here&gt;";

        var fitted = SlackMessageLimits.Fit(text, null);

        Assert.EndsWith("aaa…", fitted.Text);
    }

    public static TheoryData<string> Paths => ["response_url", "chat.postMessage", "chat.postMessage (outbox)", "chat.update", "chat.update (outbox)", "chat.postEphemeral"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_way_a_message_leaves_the_bot_keeps_within_slacks_limits(string path)
    {
        await using var slack = await SlackApiHarness.StartAsync();
        var api = slack.Get<SlackWebApiClient>();
        var blocks = OversizeBlocks();
        var chat = slack.Get<SlackChat>();

        await (path switch
        {
            "response_url" => slack.Get<SlackResponseUrlClient>().PostAsync(slack.Fake.ResponseUrl("big"), new SlackMessage { Text = Huge, Blocks = blocks, Ephemeral = false }, CancellationToken.None),
            "chat.postMessage" => api.PostMessageAsync("C1", Huge, blocks, null, CancellationToken.None),
            "chat.postMessage (outbox)" => chat.PostAsync("C1", HugeCard, null, CancellationToken.None),
            "chat.update" => api.UpdateMessageAsync("C1", "1.2", Huge, blocks, CancellationToken.None),
            "chat.update (outbox)" => chat.UpdateAsync("C1", "1.2", HugeCard, CancellationToken.None),
            _ => api.PostEphemeralAsync("C1", "U1", Huge, blocks, null, CancellationToken.None),
        });

        AssertWithinLimits(Assert.Single(slack.Fake.Requests).Body);
    }

    /// <summary>A workflow card far beyond Slack's limits: a huge title and status, 60 fields, 200 long detail lines.</summary>
    private static readonly Bot.Workflows.Messages.ChatContent HugeCard = Bot.Workflows.Messages.ChatContent.Of(new Bot.Workflows.Messages.Card
    {
        Title = Huge[..5000],
        Status = Huge,
        Fields = Enumerable.Range(0, 60).Select(i => new Bot.Workflows.Messages.CardField($"field {i}", Huge[..4000])).ToList(),
        Details = Enumerable.Range(0, 200).Select(i => (Bot.Workflows.Messages.Line)Huge[..500]).ToList(),
        Buttons = [new Bot.Workflows.Messages.CardButton("Approve", "Approve")],
        Ref = new Bot.Workflows.Messages.CardRef("change", "CHG-1", 1),
    });

    [Fact]
    public async Task An_update_without_blocks_still_clears_the_old_ones()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        await slack.Get<SlackWebApiClient>().UpdateMessageAsync("C1", "1.2", "done", [], CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(slack.Fake.Requests).Body).RootElement;
        Assert.Equal(0, body.GetProperty("blocks").GetArrayLength());
    }
}
