using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Commands.Routing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.IntegrationTests.Slack.Golden;

/// <summary>
/// What Slack receives, byte for byte: each line of <c>slack.script.txt</c> is sent as a signed <c>/sb</c> command to the
/// bot in server mode (against the sandbox, on a fixed clock), and every body Slack then gets — the ack, the
/// <c>response_url</c> answer, each Web API call — is compared with <c>slack.golden.txt</c>. Renew the recording with
/// <c>GOLDEN_UPDATE=1</c> when a change of wording is deliberate, and read its diff in review.
/// </summary>
public sealed partial class SlackGoldenTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 14, 0, 0, TimeSpan.Zero);

    private static string Folder => Path.Combine(Bot.Testing.Fixtures.RepositoryRoot, "tests", "Bot.IntegrationTests", "Slack", "Golden");

    [Fact]
    public async Task Slack_receives_what_it_received_when_the_transcript_was_recorded()
    {
        var clock = new FakeTimeProvider(Start);
        var turns = new TurnCounter();
        await using var bot = await SlackBot.StartAsync(
            settings: s =>
            {
                s["Sandbox:Enabled"] = "true";
                s["Sandbox:ClockSkewTolerance"] = "";
                s["Slack:OpsChannelId"] = "C0OPS";
                s["Rbac:Roles:approver:Users:0"] = "U1ALICE";
                s["Rbac:Roles:admin:Users:0"] = "U1ALICE";
            },
            services: s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                s.AddSingleton<ICommandMiddleware>(turns);
            },
            signer: new SlackRequestSigner(SlackBot.SigningSecret, () => clock.GetUtcNow()));

        var transcript = new StringBuilder();
        var seen = 0;
        var step = 0;
        foreach (var raw in (await File.ReadAllTextAsync(Path.Combine(Folder, "slack.script.txt"))).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            step++;
            transcript.Append("> /sb ").Append(line).Append('\n');
            using var ack = await bot.SlashCommandAsync(line, $"r{step}");
            var ackBody = await ack.Content.ReadAsStringAsync();
            transcript.Append("ack ").Append((int)ack.StatusCode).Append(' ').Append(Pretty(ackBody)).Append('\n');
            // A command not answered in the ack answers on its response_url; then whatever it queued is let run.
            if (ackBody.Length == 0) await bot.Slack.WaitForAsync(r => r.Path == $"/response/r{step}", timeout: TimeSpan.FromSeconds(60));
            // The command's whole work (a chart's upload into its thread included) has ended before anything is read.
            await turns.WaitForAsync(step);
            await SettleAsync(bot, clock);
            var requests = bot.Slack.Requests;
            // The answer to the person first, then the channel's messages: which of the two Slack hears first is a race.
            var fresh = requests.Skip(seen).Where(r => !r.Path.StartsWith("/upload/", StringComparison.Ordinal)).ToList();
            foreach (var request in fresh.Where(r => r.Path.StartsWith("/response/", StringComparison.Ordinal)).Concat(fresh.Where(r => !r.Path.StartsWith("/response/", StringComparison.Ordinal))))
            {
                transcript.Append(request.Method).Append(' ').Append(request.Path).Append(' ').Append(Pretty(request.Body)).Append('\n');
            }
            seen = requests.Count;
        }

        var now = Normalize(transcript.ToString());
        var goldenPath = Path.Combine(Folder, "slack.golden.txt");
        if (Environment.GetEnvironmentVariable("GOLDEN_UPDATE") == "1")
        {
            await File.WriteAllTextAsync(goldenPath, now);
            return;
        }
        var expected = (await File.ReadAllTextAsync(goldenPath)).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected == now) return;
        var a = expected.Split('\n');
        var b = now.Split('\n');
        var i = 0;
        while (i < Math.Min(a.Length, b.Length) && a[i] == b[i]) i++;
        Assert.Fail($"Slack's transcript differs from its recording at line {i + 1}:\n  recorded: {(i < a.Length ? a[i] : "(end)")}\n  now:      {(i < b.Length ? b[i] : "(end)")}");
    }

    /// <summary>
    /// Waits until Slack hears nothing more for a while and the outbox is empty; messages held by their channel's pacing get
    /// the clock moved a second at a time, so they go out in order without real seconds passing.
    /// </summary>
    private static async Task SettleAsync(SlackBot bot, FakeTimeProvider clock)
    {
        var store = bot.Factory.Services.GetRequiredService<Bot.Workflows.Storage.IWorkflowStore>();
        for (var round = 0; round < 60; round++)
        {
            var count = -1;
            var since = DateTime.UtcNow;
            while (DateTime.UtcNow - since < TimeSpan.FromMilliseconds(400))
            {
                if (bot.Slack.Requests.Count != count) (count, since) = (bot.Slack.Requests.Count, DateTime.UtcNow);
                await Task.Delay(25);
            }
            if (await store.CountPendingOutboxAsync(CancellationToken.None) == 0) return;
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        throw new TimeoutException("The bot never settled.");
    }

    /// <summary>
    /// The last step of the command pipeline: counts the requests whose work half has ended, handler and follow-ups
    /// included, so the transcript is read only when a command has finished whatever the machine's load.
    /// </summary>
    private sealed class TurnCounter : ICommandMiddleware
    {
        private int _finished;

        public async Task<string> InvokeAsync(CommandTurn turn, IReplyChannel? reply, Func<Task<string>> next, CancellationToken cancellationToken)
        {
            try
            {
                return await next();
            }
            finally
            {
                Interlocked.Increment(ref _finished);
            }
        }

        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (Volatile.Read(ref _finished) < count)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Only {_finished} of {count} commands finished.");
                await Task.Delay(20);
            }
        }
    }

    private static string Pretty(string body)
    {
        if (body.Length == 0) return "(empty)";
        try
        {
            using var json = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(json.RootElement, new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static string Normalize(string text)
    {
        text = Numbered(text, Ts(), "ts");
        text = Numbered(text, ChangeId(), "CHG");
        text = Numbered(text, HeadHash(), "hash");
        text = Numbered(text, TriggerId(), "trigger");
        text = Numbered(text, DeliveryId(), "delivery");
        // A secret value's mask is keyed with a salt drawn for each change, and that change's digest binds the salt.
        text = Numbered(text, SecretMask(), "mask");
        text = Numbered(text, SaltedDigest(), "digest");
        text = LoopbackPort().Replace(text, "127.0.0.1:<port>");
        // A chart's bytes depend on the machine's fonts; what is guarded here is the words around it.
        text = UploadLength().Replace(text, "length=<bytes>");
        text = Numbered(text, FileId(), "file");
        return text;
    }

    private static string Numbered(string text, Regex pattern, string name)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return pattern.Replace(text, m =>
        {
            var key = m.Groups["v"].Value;
            if (!seen.TryGetValue(key, out var n)) seen[key] = n = seen.Count + 1;
            return m.Value.Replace(key, $"<{name}{n}>", StringComparison.Ordinal);
        });
    }

    [GeneratedRegex(@"(?<v>\b[0-9]{1,10}\.[0-9]{6}\b)")]
    private static partial Regex Ts();

    [GeneratedRegex(@"•••• \((?<v>[0-9a-f]{8})\)")]
    private static partial Regex SecretMask();

    /// <summary>The digest on the card of a change whose card shows a secret mask (the same message holds both).</summary>
    [GeneratedRegex(@"•••• \(<mask[0-9]+>\)[^\n]*?Digest `(?<v>[0-9a-f]{16})`")]
    private static partial Regex SaltedDigest();

    [GeneratedRegex(@"(?<v>\bCHG-[0-9]{6}-[A-Z0-9]{4}\b)")]
    private static partial Regex ChangeId();

    [GeneratedRegex(@"head hash `(?<v>[0-9a-f]{16})…`")]
    private static partial Regex HeadHash();

    [GeneratedRegex(@"""trigger_id"":""(?<v>[^""]+)""")]
    private static partial Regex TriggerId();

    [GeneratedRegex(@"""delivery_id"":""(?<v>[^""]+)""")]
    private static partial Regex DeliveryId();

    [GeneratedRegex(@"length=[0-9]+")]
    private static partial Regex UploadLength();

    [GeneratedRegex(@"(?<v>F[0-9]{16})")]
    private static partial Regex FileId();

    [GeneratedRegex(@"127\.0\.0\.1:[0-9]{2,5}")]
    private static partial Regex LoopbackPort();
}
