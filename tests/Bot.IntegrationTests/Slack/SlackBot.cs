using Bot.Commands;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Bot.Workflows.Messages;

namespace Bot.IntegrationTests.Slack;

/// <summary>The whole bot in server mode (WebApplicationFactory), talking to a <see cref="SlackApiFake"/> on loopback.</summary>
public sealed class SlackBot : IAsyncDisposable
{
    public const string SigningSecret = SlackTestSettings.SigningSecret;
    public const string TeamId = SlackTestSettings.TeamId;

    private readonly string? _ownedSqlitePath;
    private readonly bool _ownsSlack;

    private SlackBot(SlackApiFake slack, bool ownsSlack, WebApplicationFactory<Program> factory, SlackRequestSigner signer, string? ownedSqlitePath)
    {
        _ownedSqlitePath = ownedSqlitePath;
        _ownsSlack = ownsSlack;
        Slack = slack;
        Factory = factory;
        Signer = signer;
    }

    public SlackApiFake Slack { get; }
    public WebApplicationFactory<Program> Factory { get; }
    private HttpClient? _client;

    /// <summary>The client for the bot; the first use starts the host.</summary>
    public HttpClient Client => _client ??= Factory.CreateClient();
    public SlackRequestSigner Signer { get; }

    /// <summary>
    /// Starts a bot. With <paramref name="sharedSlack"/> it talks to a fake the caller owns (several bots, one
    /// Slack); a <c>Store:SqlitePath</c> set in <paramref name="settings"/> is the caller's to clean up.
    /// </summary>
    public static async Task<SlackBot> StartAsync(
        Action<Dictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null,
        SlackRequestSigner? signer = null,
        SlackApiFake? sharedSlack = null)
    {
        var slack = sharedSlack ?? await SlackApiFake.StartAsync();
        // Each bot gets its own SQLite file, never the user's data folder.
        var sqlitePath = TestStorage.NewSqlitePath();
        var configuration = SlackTestSettings.For(slack);
        configuration["Store:Provider"] = "sqlite";
        configuration["Store:SqlitePath"] = sqlitePath;
        settings?.Invoke(configuration);
        var ownsData = configuration["Store:SqlitePath"] == sqlitePath;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(configuration));
            web.ConfigureTestServices(s =>
            {
                s.AddInteraction<ProbeInteraction>();
                services?.Invoke(s);
            });
        });
        return new SlackBot(slack, sharedSlack is null, factory, signer ?? new SlackRequestSigner(SigningSecret), ownsData ? sqlitePath : null);
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => Client.SendAsync(request);

    public Task<HttpResponseMessage> SlashCommandAsync(string text, string responseId, string teamId = TeamId, string channelId = "C0OPS") =>
        Client.SendAsync(Signer.Form("/slack/commands", SlackRequestSigner.SlashCommandForm(text, Slack.ResponseUrl(responseId), teamId: teamId, channelId: channelId)));

    /// <summary>
    /// Runs <c>/sb text</c> and returns its answer: the ack's body when the answer was ready at once (help, usage errors,
    /// refusals), otherwise the follow-up on <c>response_url</c> <paramref name="responseId"/>.
    /// </summary>
    public async Task<JsonElement> AnswerAsync(string text, string responseId, string channelId = "C0OPS")
    {
        using var ack = await SlashCommandAsync(text, responseId, channelId: channelId);
        var body = await ack.Content.ReadAsStringAsync();
        if (body.Length > 0) return JsonDocument.Parse(body).RootElement.Clone();
        return JsonDocument.Parse(Assert.Single(await Slack.WaitForAsync(r => r.Path == $"/response/{responseId}")).Body).RootElement.Clone();
    }

    /// <summary>
    /// A command that always goes through the work queue and answers on <c>response_url</c> (<c>/sb whoami</c> reads the
    /// directory), to wait on: once its answer is there, work queued before it has been picked up.
    /// </summary>
    public async Task BarrierAsync(string responseId = "barrier", string teamId = TeamId)
    {
        using var _ = await SlashCommandAsync("whoami", responseId, teamId);
        await Slack.WaitForAsync(r => r.Path == $"/response/{responseId}");
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await Factory.DisposeAsync();
        if (_ownsSlack) await Slack.DisposeAsync();
        if (_ownedSqlitePath is not null) TestStorage.Delete(_ownedSqlitePath);
    }
}

/// <summary>An interaction handler the tests register, answering with what it was given.</summary>
public sealed class ProbeInteraction : IInteractionHandler
{
    public const string Approve = "probe-approve";
    public const string Form = "probe-form";

    public IReadOnlyCollection<string> Ids { get; } = [Approve, Form];

    public Task HandleAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken)
    {
        var values = string.Join(",", request.ViewValues.Select(kv => $"{kv.Key}={kv.Value}"));
        return reply.RespondAsync(ChatMessage.InChannel($"{request.Type} {request.Id} by {request.User.UserName} in {request.ChannelId}/{request.MessageTs}: {request.Value} {values}"), cancellationToken);
    }
}
