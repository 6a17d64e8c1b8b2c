using System.Text.Json;
using Amazon.DynamoDBv2;
using Bot.Commands.Routing;
using Bot.IntegrationTests.Slack;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Sandbox.Account;
using Bot.Shell;
using Bot.Testing;
using Bot.Testing.Commands;
using Bot.Testing.DynamoDb;
using Bot.Testing.Slack;
using Bot.Workflows;
using Bot.Workflows.Audit;
using Bot.Workflows.Changes;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.IntegrationTests.Changes;

/// <summary>How an action reaches the bot: signed HTTP, Socket Mode, or the shell (the second instance).</summary>
public enum Via { Http, SocketMode, Shell }

/// <summary>
/// One production the adversary attacks for a whole property run: the sandbox account on loopback standing in for AWS and
/// PagerDuty — as production, not as the rehearsal account (neither instance runs in sandbox mode, so shell identities
/// count for nothing) — the bot as a server (Slack over signed HTTP and over Socket Mode), and a second instance on the
/// same DynamoDB table: the shell, with <c>--use-server-store --real-aws</c>. Mallory holds every role, in Slack and in the
/// shell; the bystanders hold none.
/// </summary>
public sealed class TwoPersonWorld : IAsyncDisposable
{
    public const string Ops = "C0OPS";
    public const string Mallory = "mallory";
    public static readonly string[] Bystanders = ["bea", "bo"];
    public static readonly string[] Functions = ["user-management", "session-management", "report-engine"];

    private readonly DynamoDbTestTable _table;
    private int _sequence;

    private TwoPersonWorld(SandboxServer aws, SlackBot server, SocketModePeer socket, IHost shell, DynamoDbTestTable table)
    {
        Aws = aws;
        Server = server;
        Socket = socket;
        Shell = shell;
        _table = table;
    }

    /// <summary>The account both instances take for production.</summary>
    public SandboxServer Aws { get; }



    public SlackBot Server { get; }
    public SocketModePeer Socket { get; }
    public IHost Shell { get; }
    public SandboxAccount Sandbox => Aws.Account;
    public IWorkflowStore Store => Server.Factory.Services.GetRequiredService<IWorkflowStore>();
    public IAuditLog Audit => Server.Factory.Services.GetRequiredService<IAuditLog>();

    /// <summary>Every button value Slack was sent on a card, in order (old versions of every card included).</summary>
    public List<(string ActionId, string Value)> Buttons { get; } = [];

    /// <summary>Every signed HTTP body sent, for replays.</summary>
    public List<(string Path, string Form)> Sent { get; } = [];

    /// <summary>Incidents the sandbox's monitoring raised (qualifying for break-glass while open), and those Mallory paged herself.</summary>
    public List<string> MonitoringIncidents { get; } = [];

    public static async Task<TwoPersonWorld> StartAsync()
    {
        var fixture = new DynamoDbLocalFixture();
        await fixture.InitializeAsync();
        var table = new DynamoDbTestTable(fixture);
        var options = new SandboxOptions { StartWithOpenIncident = false };
        var aws = await SandboxServer.StartAsync(options);
        var url = aws.BaseAddress.ToString().TrimEnd('/');
        var everyRole = new[] { "approver", "tech-lead", "ops-manager", "security", "responder", "admin" };
        void Common(IDictionary<string, string?> s)
        {
            s["Sandbox:Enabled"] = "false";
            s["AWS_ENDPOINT_URL"] = url;
            s["AWS_REGION"] = options.Region;
            s["Aws:AccessKeyId"] = options.AccessKeyId;
            s["Aws:SecretAccessKey"] = options.SecretAccessKey;
            s["PagerDuty:ApiToken"] = options.PagerDuty.ApiToken;
            s["PagerDuty:WebhookSecret"] = options.PagerDuty.WebhookSecret;
            s["PagerDuty:ApiBaseUrl"] = url + "/pagerduty/";
            s["PagerDuty:EventsBaseUrl"] = url + "/pagerduty-events/";
            s["PagerDuty:FromEmail"] = Bot.Sandbox.PagerDuty.PagerDutyDirectory.Bot.Email;
            s["PagerDuty:TeamIds:0"] = Bot.Sandbox.PagerDuty.PagerDutyDirectory.TeamId; // the bot follows SecureBase's incidents only (issue 19)
            foreach (var service in Bot.Sandbox.PagerDuty.PagerDutyDirectory.Services) s[$"PagerDuty:RoutingKeys:{service.Name}"] = service.RoutingKey;
            s["Slack:OpsChannelId"] = Ops;
            s["Store:Provider"] = "dynamodb";
            s["Store:DynamoDbTable"] = table.Name;
            s["Store:CreateTable"] = "true";
            foreach (var role in everyRole)
            {
                s[$"Rbac:Roles:{role}:Users:0"] = "U1MALLORY";
                s[$"Rbac:Roles:{role}:Users:1"] = ShellSession.UserFor(Mallory).UserId;
            }
            // Watches of three one-second periods, so a change that ran ends within seconds.
            s["Changes:MetricPeriod"] = "00:00:01";
            s["Changes:MetricLag"] = "00:00:00";
            s["Changes:VerifyWindow"] = "00:00:03";
            s["Changes:VerifyInterval"] = "00:00:01";
            s["Changes:SecretsKmsKeyId"] = "alias/securebase-bot";
            s["Reports:DailyHealth:Enabled"] = "false";
        }

        var server = await SlackBot.StartAsync(s =>
        {
            Common(s);
            s["Slack:AppToken"] = "xapp-1-A0TWO-two-person-property-0001";
        }, services => services.AddKeyedSingleton<IAmazonDynamoDB>(WorkflowsServiceCollectionExtensions.StoreClientKey, fixture.Server.NewClient()));
        _ = server.Client;
        var socket = await server.Slack.AcceptSocketAsync();

        var shell = ShellHost.Build([ShellSafety.UseServerStoreFlag, ShellSafety.RealAwsFlag], new StringWriter(), ansi: false,
            configure: c => c.AddInMemoryCollection(new Dictionary<string, string?>(Settings(Common))
            {
                ["Shell:SettleTime"] = "00:00:00",
                ["Logging:LogLevel:Default"] = "Warning",
            }),
            configureServices: s => s.AddKeyedSingleton<IAmazonDynamoDB>(WorkflowsServiceCollectionExtensions.StoreClientKey, fixture.Server.NewClient()));
        await shell.StartAsync();
        return new TwoPersonWorld(aws, server, socket, shell, table);
    }

    private static Dictionary<string, string?> Settings(Action<IDictionary<string, string?>> fill)
    {
        var s = new Dictionary<string, string?>();
        fill(s);
        return s;
    }

    private static string UserId(string name) => "U1" + name.ToUpperInvariant();

    /// <summary>
    /// Waits (at most 30 s, then goes on) for the command's answer at its response URL: the slow half of a command (a
    /// change request's reads of AWS) may take seconds on a loaded machine, and a click should find the card it posts.
    /// </summary>
    private async Task AnsweredAsync(string id)
    {
        try
        {
            await Server.Slack.WaitForAsync(r => r.Path == "/response/" + id, timeout: TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Reads the bot's Socket Mode acknowledgements up to this envelope's; true when it carried the answer itself.</summary>
    private async Task<bool> AckCarriedAnswerAsync(string envelope)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until && await Socket.ReceiveAsync(until - DateTime.UtcNow) is { } message)
        {
            using var ack = JsonDocument.Parse(message);
            if (ack.RootElement.TryGetProperty("envelope_id", out var e) && e.GetString() == envelope)
                return ack.RootElement.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object && payload.EnumerateObject().Any();
        }
        return false;
    }

    /// <summary>A slash command as <paramref name="user"/> over <paramref name="transport"/>.</summary>
    public async Task CommandAsync(string user, string text, Via transport)
    {
        var id = $"s{Interlocked.Increment(ref _sequence)}";
        switch (transport)
        {
            case Via.Http:
                await PostAsync("/slack/commands", SlackRequestSigner.SlashCommandForm(text, Server.Slack.ResponseUrl(id), userId: UserId(user), userName: user, channelId: Ops, teamId: SlackBot.TeamId));
                if (string.IsNullOrEmpty(LastAnswer)) await AnsweredAsync(id);
                break;
            case Via.SocketMode:
                await Socket.SendAsync(JsonSerializer.Serialize(new
                {
                    envelope_id = "env-" + id, type = "slash_commands",
                    payload = new { team_id = SlackBot.TeamId, channel_id = Ops, user_id = UserId(user), user_name = user, command = "/sb", text, response_url = Server.Slack.ResponseUrl(id), trigger_id = "5.5." + id },
                }));
                if (!await AckCarriedAnswerAsync("env-" + id)) await AnsweredAsync(id);
                break;
            default:
                var session = Shell.Services.GetRequiredService<ShellSession>();
                await session.ExecuteAsync("as " + user, CancellationToken.None);
                await session.ExecuteAsync("/sb " + text, CancellationToken.None);
                break;
        }
    }

    /// <summary>A click as <paramref name="user"/> on a button that was on a card (any version of it) over <paramref name="transport"/>.</summary>
    public async Task ClickAsync(string user, (string ActionId, string Value) button, string? input, Via transport)
    {
        var id = $"c{Interlocked.Increment(ref _sequence)}";
        switch (transport)
        {
            case Via.Http or Via.SocketMode:
                var payload = SlackClicks.Payload(SlackBot.TeamId, UserId(user), user, Ops, button.ActionId, button.Value, Server.Slack.ResponseUrl(id),
                    $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:F6}-{id}", "trigger-" + id);
                if (input is not null) payload = WithInput(payload, input);
                if (transport == Via.Http) await PostAsync("/slack/interactions", SlackRequestSigner.InteractionForm(payload));
                else await Socket.SendAsync($$"""{"envelope_id":"env-{{id}}","type":"interactive","payload":{{payload}}}""");
                break;
            default:
                await Shell.Services.GetRequiredService<InteractionRouter>().DispatchAsync(new InteractionRequest
                {
                    Type = InteractionRequest.BlockActions,
                    Id = button.ActionId,
                    Value = button.Value,
                    User = ShellSession.UserFor(user),
                    ChannelId = Ops,
                    InputText = input,
                    Transport = Transport.Shell,
                }, new RecordingReplyChannel(), CancellationToken.None);
                break;
        }
    }

    /// <summary>A form submission carrying the text a button asked for (a rejection's reason, a comment, a rollback's why).</summary>
    private static string WithInput(string blockActions, string input)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(blockActions)!;
        var action = node["actions"]![0]!;
        var view = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = node["team"]!.DeepClone(),
            ["user"] = node["user"]!.DeepClone(),
            ["view"] = new System.Text.Json.Nodes.JsonObject
            {
                ["callback_id"] = Bot.Commands.Buttons.WorkflowButtonHandler.InputCallbackId,
                ["private_metadata"] = action["value"]!.GetValue<string>(),
                ["hash"] = "h-" + Guid.NewGuid().ToString("N")[..8],
                ["state"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["values"] = new System.Text.Json.Nodes.JsonObject
                    {
                        [Bot.Commands.Buttons.WorkflowButtonHandler.InputBlockId] = new System.Text.Json.Nodes.JsonObject
                        {
                            [Bot.Commands.Buttons.WorkflowButtonHandler.InputActionId] = new System.Text.Json.Nodes.JsonObject { ["type"] = "plain_text_input", ["value"] = input },
                        },
                    },
                },
            },
        };
        return view.ToJsonString();
    }

    /// <summary>Sends again, byte for byte, a signed request sent before (a replay).</summary>
    public Task ReplayAsync(int which) => Sent.Count == 0 ? Task.CompletedTask : SendAsync(Sent[which % Sent.Count].Path, Sent[which % Sent.Count].Form);

    /// <summary>The body of the last signed request's answer (a command's ack: empty when the answer follows at its response URL).</summary>
    private string? LastAnswer { get; set; }

    private async Task PostAsync(string path, string form)
    {
        Sent.Add((path, form));
        await SendAsync(path, form);
    }

    private async Task SendAsync(string path, string form)
    {
        using var response = await Server.SendAsync(Server.Signer.Form(path, form));
        LastAnswer = await response.Content.ReadAsStringAsync();
    }

    /// <summary>Waits until the bot has taken every request and run every activity it queued (nothing new for <paramref name="quiet"/>, 150 ms by default), then collects the cards' buttons.</summary>
    public async Task SettleAsync(TimeSpan? quiet = null)
    {
        var quietSince = DateTime.UtcNow;
        var lastCount = -1;
        for (var i = 0; i < 400; i++)
        {
            // The changes' and the incidents' activities, the commands still being worked on, and the messages still to post.
            var pending = (await Store.ListPendingWorkAsync(WorkQueues.Activities, 5, CancellationToken.None)).Count
                          + (await Store.ListPendingWorkAsync(WorkQueues.IncidentActivities, 5, CancellationToken.None)).Count
                          + Server.Factory.Services.GetRequiredService<Bot.Slack.SlackWorkQueue>().Count
                          + await ((IOperationsStore)Store).CountPendingOutboxAsync(CancellationToken.None);
            var count = Server.Slack.Requests.Count;
            if (pending > 0 || count != lastCount) quietSince = DateTime.UtcNow;
            lastCount = count;
            if (DateTime.UtcNow - quietSince > (quiet ?? TimeSpan.FromMilliseconds(150))) break;
            await Task.Delay(20);
        }
        CollectButtons();
    }

    /// <summary>The buttons of every card Slack was sent so far, every version of each.</summary>
    public void CollectButtons()
    {
        Buttons.Clear();
        foreach (var request in Server.Slack.Requests.Where(r => r.Path is "/api/chat.postMessage" or "/api/chat.update"))
            foreach (var action in new[] { "Approve", "Reject", "Cancel", "BreakGlass", "RollBack", "Review" })
                if (SlackClicks.ButtonValue(request.Body, $"wf:change:{action}") is { } value) Buttons.Add(($"wf:change:{action}", value));
    }

    /// <summary>The keys of <see cref="Production"/> for the tables (which exist, and their capacity) and the secrets (each one's AWSCURRENT).</summary>
    public const string TablesKey = "tables", SecretsKey = "secrets";

    /// <summary>
    /// What production is now, per resource: each function (its alias, configuration and concurrency), the DynamoDB tables
    /// (which exist, billing mode and provisioned throughput), and the secrets (the version holding AWSCURRENT).
    /// </summary>
    public IReadOnlyDictionary<string, string> Production()
    {
        var state = Functions.Select(f => $"securebase-prod-{f}").ToDictionary(f => f, Function);
        state[TablesKey] = string.Join(" ", Sandbox.DynamoDb.All().Where(t => t.Name.StartsWith("securebase-prod-", StringComparison.Ordinal))
            .Select(t => $"{t.Name}:{(t.Definition.Provisioned ? $"{t.Definition.ReadCapacity}/{t.Definition.WriteCapacity}" : "on-demand")}"));
        var report = Report();
        state[TablesKey] += $" {report.Key}:{ReportsBucket.Latest(report.Key)?.VersionId}";
        state[SecretsKey] = string.Join(" ", Sandbox.Secrets.All.Where(s => s.Name.StartsWith("securebase-prod-", StringComparison.Ordinal))
            .Select(s => $"{s.Name}:{s.WithStage(Bot.Sandbox.Account.Secrets.SecretVersion.Current)?.VersionId}"));
        return state;
    }

    private Bot.Sandbox.Account.S3.ReportBucket ReportsBucket =>
        Sandbox.S3.Bucket(Bot.Sandbox.Account.S3.ReportBuckets.BucketName("prod", Sandbox.Options.AccountId))!;

    /// <summary>A report with an earlier version than its current one (found once), for <c>/sb restore object</c>.</summary>
    private (string Key, string VersionId)? _report;

    /// <summary>Fills a request's placeholders: <c>{restoreTo}</c> (an hour ago), <c>{reportKey}</c> and <c>{reportVersion}</c>.</summary>
    public string Fill(string request)
    {
        var report = Report();
        return request.Replace("{restoreTo}", DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{reportKey}", report.Key, StringComparison.Ordinal)
            .Replace("{reportVersion}", report.VersionId, StringComparison.Ordinal);
    }

    private (string Key, string VersionId) Report()
    {
        if (_report is { } found) return found;
        var entries = ReportsBucket.ListVersions("reports/", null, null, null, 1000).Entries;
        var earlier = entries.First(e => !e.IsLatest && !e.Version.IsDeleteMarker && entries.Any(l => l.IsLatest && l.Version.Key == e.Version.Key));
        _report = (earlier.Version.Key, earlier.Version.VersionId);
        return _report.Value;
    }

    private string Function(string f)
    {
        var fn = Sandbox.Function(f)!;
        var alias = fn.Aliases["PROD"].Current;
        var provisioned = string.Join(",", fn.ProvisionedConcurrency.Values.Select(p => $"{p.Qualifier}={p.Requested}"));
        var latest = fn.Latest;
        var environment = string.Join(",", latest.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
        // Publishing a version changes no configuration and serves no traffic: the revision id is left out on purpose.
        return $"{alias.Version}+{alias.AdditionalVersion}:{alias.AdditionalWeight} memory={latest.MemorySize} timeout={latest.Timeout} env={environment} reserved={fn.ReservedConcurrency} provisioned={provisioned}";
    }

    public async Task<IReadOnlyList<Change>> ChangesAsync() =>
        (await Store.ListAggregatesAsync(Change.Type, null, 2000, CancellationToken.None)).Select(r => (Change)Change.Definition.Restore(r)).ToList();

    public async ValueTask DisposeAsync()
    {
        await Shell.StopAsync();
        Shell.Dispose();
        await Server.DisposeAsync();
        await Aws.DisposeAsync();
        await _table.DeleteAsync();
    }
}
