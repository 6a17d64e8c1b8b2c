using Bot.Commands;
using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Shell;
using Bot.Workflows.Messages;
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

/// <summary><c>/sb demo</c>: a change request card with Approve / Reject buttons, and a CSV upload.</summary>
public sealed class DemoCommand : ICommandHandler
{
    public CommandSpec Spec { get; } = new() { Verb = "demo", Summary = "A message with buttons.", Usage = "/sb demo" };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await context.RespondAsync(ChatMessage.InChannel("Deploy requested", [
            new HeadingBlock("Deploy api to prod"),
            new CardBlock(DemoInteraction.Card("chg-1", Line.Of("Requested by ", context.User.Mention))),
        ]), cancellationToken);
        await context.Reply.UploadFileAsync(new ChatFile("report.csv", "Report", "a,b\n1,2\n"u8.ToArray()), null, cancellationToken);
    }
}

/// <summary>The demo card's buttons: each answers with the change it was clicked on, in place of the card.</summary>
public sealed class DemoInteraction : IInteractionHandler
{
    public const string Type = "demo";
    public const string Approve = "Approve";
    public const string Reject = "Reject";

    public IReadOnlyCollection<string> Ids { get; } = [ButtonPayload.ActionId(Type, Approve), ButtonPayload.ActionId(Type, Reject)];

    /// <summary>A card for change <paramref name="id"/> with Approve and Reject buttons.</summary>
    public static Card Card(string id, Line status) => new()
    {
        Title = "Change " + id,
        Tone = CardTone.Waiting,
        Status = status,
        Fields = [new CardField("Version", "42"), new CardField("Category", "Standard")],
        Footer = ["Expires in 30 min"],
        Buttons = [new CardButton(Approve, Approve, ButtonStyle.Primary), new CardButton(Reject, Reject, ButtonStyle.Danger)],
        Ref = new CardRef(Type, id, 1),
    };

    public Task HandleAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken)
    {
        var payload = ButtonPayload.TryParse(request.Value)!;
        return reply.RespondAsync(ChatMessage.InChannel(Line.Of(
            $"{(payload.Trigger == Approve ? "Approved" : "Rejected")} {payload.AggregateId} (block {request.BlockId}) by ", request.User.Mention)) with
        { ReplaceOriginal = true },
            cancellationToken);
    }
}
