using Bot.Testing.Commands;
using Bot.Workflows.Messages;
using Bot.Commands.Cloud;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Commands.Tests.Cloud;

public sealed class ThreadFollowUpTests
{
    private static readonly ChatMessage Anchor = new() { Text = "Details", Ephemeral = false };
    private static readonly ChatMessage Detail = new() { Text = "detail 1", Ephemeral = false };
    private static readonly ChatFile Chart = new("c.png", "chart", [0x89]);

    [Fact]
    public async Task Details_and_files_go_into_the_thread_of_an_anchor_message()
    {
        var reply = new RecordingReplyChannel();

        await ThreadFollowUp.PostAsync(reply, Anchor, [Detail], [Chart], NullLogger.Instance, default);

        var posts = reply.Posts.ToList();
        Assert.Null(posts[0].ThreadTs);
        Assert.Equal(posts[0].Ts, posts[1].ThreadTs);
        Assert.Equal(posts[0].Ts, Assert.Single(reply.Uploads).ThreadTs);
        Assert.Empty(reply.Responses);
    }

    [Fact]
    public async Task When_the_bot_cannot_post_the_details_come_through_the_response_url()
    {
        var reply = new RecordingReplyChannel { FailPosts = true };

        await ThreadFollowUp.PostAsync(reply, Anchor, [Detail], [Chart], NullLogger.Instance, default);

        Assert.Equal("detail 1", Assert.Single(reply.Responses).Text.ToPlainText());
        Assert.Null(Assert.Single(reply.Uploads).ThreadTs);
    }
}
