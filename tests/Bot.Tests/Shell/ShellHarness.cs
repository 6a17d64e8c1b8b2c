using Bot.Commands;
using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Shell;
using Bot.Integrations.Slack.BlockKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Tests.Shell;

/// <summary>The real shell host, printing into a string, with a demo command that shows buttons.</summary>
public sealed class ShellHarness : IDisposable
{
    private readonly StringWriter _output = new();

    public ShellHarness(string[]? args = null, Dictionary<string, string?>? settings = null, TimeSpan? settleTime = null)
    {
        FilesDirectory = Path.Combine(Path.GetTempPath(), "sb-shell-tests", Guid.NewGuid().ToString("N"));
        var configuration = new Dictionary<string, string?>
        {
            ["Shell:FilesDirectory"] = FilesDirectory,
            ["Shell:SqlitePath"] = Bot.Testing.TestStorage.NewSqlitePath(),
            ["Shell:SettleTime"] = (settleTime ?? TimeSpan.Zero).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in settings ?? []) configuration[k] = v;
        Host = ShellHost.Build(args ?? [], _output, ansi: false,
            configure: c => c.AddInMemoryCollection(configuration),
            configureServices: s => s.AddCommand<DemoCommand>().AddInteraction<DemoInteraction>());
    }

    public IHost Host { get; }
    public string FilesDirectory { get; }
    public string Output => _output.ToString();

    public async Task<int> RunAsync(string script) => await RunAsync(new StringReader(script));

    public async Task<int> RunAsync(TextReader input) =>
        await Host.Services.GetRequiredService<ShellSession>().RunAsync(input, interactive: false, CancellationToken.None);

    public void Dispose()
    {
        Host.Dispose();
        _output.Dispose();
        if (Directory.Exists(FilesDirectory)) Directory.Delete(FilesDirectory, recursive: true);
    }
}

/// <summary><c>/sb demo</c>: a change request with Approve / Reject buttons, and a CSV upload.</summary>
public sealed class DemoCommand : ICommandHandler
{
    public CommandSpec Spec { get; } = new() { Verb = "demo", Summary = "A message with buttons.", Usage = "/sb demo" };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await context.RespondAsync(ChatMessage.InChannel("Deploy requested", [
            HeaderBlock.Of("Deploy api to prod"),
            new SectionBlock { Text = TextObject.Markdown($"Requested by {context.User.Mention}"), Fields = [TextObject.Markdown("*Version* 42"), TextObject.Markdown("*Category* Standard")] },
            new DividerBlock(),
            new ActionsBlock { BlockId = "chg-1", Elements = [
                ButtonElement.Create(DemoInteraction.Approve, "Approve", "chg-1", "primary"),
                ButtonElement.Create(DemoInteraction.Reject, "Reject", "chg-1", "danger"),
            ] },
            ContextBlock.Markdown("Expires in 30 min"),
        ]), cancellationToken);
        await context.Reply.UploadFileAsync(new ChatFile("report.csv", "Report", "a,b\n1,2\n"u8.ToArray()), null, cancellationToken);
    }
}

public sealed class DemoInteraction : IInteractionHandler
{
    public const string Approve = "demo-approve";
    public const string Reject = "demo-reject";

    public IReadOnlyCollection<string> Ids { get; } = [Approve, Reject];

    public Task HandleAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken) =>
        reply.RespondAsync(ChatMessage.InChannel($"{(request.Id == Approve ? "Approved" : "Rejected")} {request.Value} (block {request.BlockId}) by {request.User.Mention}") with { ReplaceOriginal = true }, cancellationToken);
}
