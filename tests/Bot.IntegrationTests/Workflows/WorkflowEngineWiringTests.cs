using Bot.Commands.Audit;
using Bot.Commands.Routing;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.Workflows;

/// <summary>The running bot (Program) has the workflow engine wired: store from configuration, audit trail, <c>/sb audit</c>.</summary>
public sealed class WorkflowEngineWiringTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-wiring-" + Guid.NewGuid().ToString("N"));

    private sealed class Replies : IReplyChannel
    {
        public List<ChatMessage> Messages { get; } = [];
        public Task RespondAsync(ChatMessage message, CancellationToken cancellationToken) { Messages.Add(message); return Task.CompletedTask; }
        public Task<PostedMessage> PostAsync(ChatMessage message, string? threadTs, CancellationToken cancellationToken) { Messages.Add(message); return Task.FromResult(new PostedMessage("C1", "1.1")); }
        public Task UpdateAsync(PostedMessage target, ChatMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task UploadFileAsync(ChatFile file, string? threadTs, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task Commands_run_through_the_bot_show_up_in_the_hash_chained_audit_trail()
    {
        var path = Path.Combine(_dir, "bot.db");
        // Any type of the Bot assembly names its entry point; `Program` alone is ambiguous with Bot.Sandbox's.
        await using var factory = new WebApplicationFactory<Bot.Workers.WorkflowStoreInitializer>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Store:Provider", "sqlite");
            b.UseSetting("Store:SqlitePath", path);
        });
        using var http = factory.CreateClient();
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();

        var dispatcher = factory.Services.GetRequiredService<AuditedCommandDispatcher>();
        CommandRequest Request(string text) => new()
        {
            Command = "/sb", Text = text, User = new Actor("U0ANA", "ana"), ChannelId = "C0OPS", Transport = Transport.Shell,
        };
        await dispatcher.DispatchAsync(Request("help"), new Replies(), CancellationToken.None);
        var replies = new Replies();
        await dispatcher.DispatchAsync(Request("audit"), replies, CancellationToken.None);

        var text = Assert.Single(replies.Messages).Text;
        Assert.Contains("@ana command:/sb help", text);
        Assert.Contains("@ana command:/sb audit", text);
        Assert.IsAssignableFrom<IWorkflowStore>(factory.Services.GetRequiredService<Bot.Workflows.Idempotency.IIdempotencyStore>());
        Assert.True((await factory.Services.GetRequiredService<IAuditLog>().VerifyAsync(CancellationToken.None)).Intact);
        Assert.True(File.Exists(path));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
