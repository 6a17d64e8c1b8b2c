using Bot.Tests.Shell;
using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Shell;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Workflows.Messages;
using Bot.Workflows.Outbox;
using Bot.Workflows.Wakeups;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Shell.Golden;

/// <summary>
/// The real shell with the bot's own command set, against the sandbox, on a clock that moves only when the script says so
/// (or by a second at a time while paced messages wait for their channel): the same script prints the same transcript.
/// </summary>
public sealed partial class GoldenShell : IAsyncDisposable
{
    /// <summary>Monday 30 November 2026, 14:00 UTC: after the daily report's hour, inside the sandbox's working day.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 14, 0, 0, TimeSpan.Zero);

    private readonly TwoStreamWriter _output = new();
    private readonly string _sqlitePath = Bot.Testing.TestStorage.NewSqlitePath();
    private readonly string _files = Path.Combine(Path.GetTempPath(), "sb-golden", Guid.NewGuid().ToString("N"));

    public GoldenShell()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Shell:FilesDirectory"] = _files,
            ["Shell:SqlitePath"] = _sqlitePath,
            ["Shell:SettleTime"] = "00:00:05",
            // The DynamoDB SDK signs with the machine's clock, which the fixed clock is far from.
            ["Sandbox:ClockSkewTolerance"] = "",
        };
        Host = ShellHost.Build([], _output, ansi: false,
            configure: c => c.AddInMemoryCollection(configuration),
            configureServices: s =>
            {
                s.AddSingleton<TimeProvider>(Clock);
                s.AddSingleton(sp => new ChannelStream(sp.GetRequiredService<ShellChat>()));
                s.AddSingleton<IChat>(sp => sp.GetRequiredService<ChannelStream>());
                s.AddSingleton<IChannelPoster>(sp => sp.GetRequiredService<ChannelStream>());
            });
    }

    public FakeTimeProvider Clock { get; } = new(Start);
    public IHost Host { get; }

    public string Output => _output.ToString();

    /// <summary>Runs each line of <paramref name="script"/> and lets the bot settle after it; returns the normalized transcript.</summary>
    public async Task<string> RunAsync(string script)
    {
        await Host.StartAsync();
        var session = Host.Services.GetRequiredService<ShellSession>();
        var terminal = Host.Services.GetRequiredService<ShellTerminal>();
        await SettleAsync();
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("~advance ", StringComparison.Ordinal))
            {
                var by = TimeSpan.Parse(line["~advance ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                Echo($"~ the clock moves {by:c}");
                Clock.Advance(by);
                await SettleAsync();
                continue;
            }
            if (line.StartsWith("~wait ", StringComparison.Ordinal))
            {
                await WaitForAsync(line["~wait ".Length..]);
                await SettleAsync();
                continue;
            }
            Echo($"{session.User.UserName}> {line}");
            await session.ExecuteAsync(line, CancellationToken.None);
            await SettleAsync();
        }
        _ = terminal;
        _output.Step(null);
        return Normalize(Output);
    }

    private void Echo(string text) => _output.Step(text);

    private async Task WaitForAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The transcript never showed '{text}':\n{Output}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until nothing is printed for a while and the store holds no work that is due; messages held by their channel's
    /// pacing get the clock moved a second at a time, so they go out in order without real seconds passing.
    /// </summary>
    private async Task SettleAsync()
    {
        var store = Host.Services.GetRequiredService<IWorkflowStore>();
        for (var step = 0; step < 120; step++)
        {
            await QuietAsync(TimeSpan.FromMilliseconds(400));
            var now = Clock.GetUtcNow();
            // Work of every queue (the changes' and the incidents' activity lanes, PagerDuty's events) and timers due now run
            // before the clock moves, so what a command shows never depends on how fast this machine is.
            var dueNow = false;
            foreach (var queue in (string[])[WorkQueues.Activities, WorkQueues.IncidentActivities, WorkQueues.PagerDutyEvents, WorkQueues.Inbound])
                dueNow |= await store.NextWorkDueAsync(queue, CancellationToken.None) <= now;
            dueNow |= await store.NextTimerDueAsync(CancellationToken.None) <= now;
            if (dueNow) continue;
            var pending = await store.CountPendingOutboxAsync(CancellationToken.None);
            if (pending == 0) return;
            // Only what the channel's pacing holds waits for the clock: the sender must have looked at the store since and found
            // nothing it may send now (on a loaded machine a message due now can take longer than the quiet time to go, and a
            // second too many changes what later commands show, e.g. how many ERROR lines the last hour has).
            if (!await SenderFoundNothingDueAsync() || await store.CountPendingOutboxAsync(CancellationToken.None) != pending) continue;
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        throw new TimeoutException("The bot never settled:\n" + Output);
    }

    /// <summary>Wakes the outbox sender and waits for a round of it that began now to find nothing to claim.</summary>
    private async Task<bool> SenderFoundNothingDueAsync()
    {
        var sender = Host.Services.GetRequiredService<OutboxSender>();
        var after = sender.RoundsStarted;
        Host.Services.GetRequiredService<WorkSignals>().Outbox.Signal();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (sender.LastEmptyRound <= after)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(10);
        }
        return true;
    }

    private async Task QuietAsync(TimeSpan quiet)
    {
        var length = -1;
        var since = DateTime.UtcNow;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow - since < quiet && DateTime.UtcNow < deadline)
        {
            var now = _output.Length;
            if (now != length) (length, since) = (now, DateTime.UtcNow);
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// What differs between runs by design, replaced by stable names in order of appearance: message timestamps, change ids,
    /// error ids, the folder files are saved in, and the process's own figures in <c>/sb status</c>.
    /// </summary>
    public string Normalize(string transcript)
    {
        transcript = transcript.Replace(_files, "<files>", StringComparison.Ordinal);
        transcript = Numbered(transcript, MessageTs(), "ts");
        transcript = Numbered(transcript, ChangeId(), "CHG");
        transcript = Numbered(transcript, ErrorId(), "error");
        transcript = Numbered(transcript, HeadHash(), "hash");
        transcript = Numbered(transcript, PageDedupKey(), "dedup");
        // A secret value's mask is keyed with a salt drawn for each change, and the change's digest binds that salt.
        transcript = Numbered(transcript, SecretMask(), "mask");
        transcript = Numbered(transcript, SaltedDigest(), "digest");
        transcript = LoopbackPort().Replace(transcript, "127.0.0.1:<port>");
        transcript = Version().Replace(transcript, "<version>");
        transcript = Latency().Replace(transcript, "${a}<n> ms");
        transcript = transcript.Replace($"`{Environment.MachineName}`", "`<host>`", StringComparison.Ordinal);
        return transcript.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string Numbered(string text, Regex pattern, string name)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return pattern.Replace(text, m =>
        {
            var key = m.Groups["v"].Value;
            if (!seen.TryGetValue(key, out var n)) seen[key] = n = seen.Count + 1;
            var value = m.Value.Replace(key, $"<{name}{n}>", StringComparison.Ordinal);
            return value;
        });
    }

    [GeneratedRegex(@"(?<v>\b1[0-9]{9}\.[0-9]{6}\b)")]
    private static partial Regex MessageTs();

    [GeneratedRegex(@"(?<v>\bCHG-[0-9]{6}-[A-Z0-9]{4}\b)")]
    private static partial Regex ChangeId();

    [GeneratedRegex(@"error id `(?<v>[0-9a-f]{8})`")]
    private static partial Regex ErrorId();

    [GeneratedRegex(@"head hash `(?<v>[0-9a-f]{16})…`")]
    private static partial Regex HeadHash();

    [GeneratedRegex(@"securebase-bot/page/(?:[A-Z0-9]+/)?(?<v>[0-9a-f]{24}/[0-9]+)")]
    private static partial Regex PageDedupKey();

    [GeneratedRegex(@"•••• \((?<v>[0-9a-f]{8})\)")]
    private static partial Regex SecretMask();

    /// <summary>The digest of a change whose card shows a secret mask (the lines between its title and its digest hold one).</summary>
    [GeneratedRegex(@"•••• \(<mask[0-9]+>\)[^
]*
(?:[^
]*
){0,3}?\s*Digest `(?<v>[0-9a-f]{16})`")]
    private static partial Regex SaltedDigest();

    [GeneratedRegex(@"127\.0\.0\.1:[0-9]{2,5}")]
    private static partial Regex LoopbackPort();

    /// <summary>The build's version carries its commit.</summary>
    [GeneratedRegex(@"\b[0-9]+\.[0-9]+\.[0-9]+\+[0-9a-f]{7,40}\b")]
    private static partial Regex Version();

    /// <summary>How long the store, PagerDuty and AWS took to answer <c>/sb status</c>.</summary>
    [GeneratedRegex(@"(?<a>\(|answered in )[0-9]+ ms")]
    private static partial Regex Latency();

    public async ValueTask DisposeAsync()
    {
        try { await Host.StopAsync(); }
        catch (OperationCanceledException) { }
        Host.Dispose();
        Bot.Testing.TestStorage.Delete(_sqlitePath);
        if (Directory.Exists(_files)) Directory.Delete(_files, recursive: true);
    }

    /// <summary>
    /// The terminal's output in two streams: what answered the person (replies, uploads) and what reached the channels
    /// through the outbox (cards, their edits, thread lines, direct messages). Which of them prints first after a command is
    /// a race the shell does not promise, and so is the order between two conversations (the outbox keeps order within
    /// one): the transcript shows a step's replies, then each conversation's messages in its own order, conversations in
    /// the order they first appeared (new ones by name).
    /// </summary>
    private sealed class TwoStreamWriter : TextWriter
    {
        private readonly object _gate = new();
        private readonly StringBuilder _transcript = new();
        private readonly StringBuilder _replies = new();
        private readonly Dictionary<string, StringBuilder> _conversations = new(StringComparer.Ordinal);
        private readonly List<string> _seen = [];

        public override Encoding Encoding => Encoding.UTF8;

        public int Length
        {
            get { lock (_gate) return _transcript.Length + _replies.Length + _conversations.Values.Sum(c => c.Length); }
        }

        public override void Write(char value)
        {
            lock (_gate) Current.Append(value);
        }

        public override void Write(string? value)
        {
            lock (_gate) Current.Append(value);
        }

        public override void WriteLine(string? value)
        {
            lock (_gate) Current.Append(value).Append('\n');
        }

        public override void Flush() { }

        /// <summary>Moves what the last step printed into the transcript and adds <paramref name="line"/> (null: nothing).</summary>
        public void Step(string? line)
        {
            lock (_gate)
            {
                AppendStep(_transcript);
                foreach (var channel in _conversations.Keys.Where(c => !_seen.Contains(c)).Order(StringComparer.Ordinal).ToList()) _seen.Add(channel);
                _replies.Clear();
                _conversations.Clear();
                if (line is not null) _transcript.Append(line).Append('\n');
            }
        }

        public override string ToString()
        {
            lock (_gate) return AppendStep(new StringBuilder().Append(_transcript)).ToString();
        }

        private StringBuilder AppendStep(StringBuilder to)
        {
            to.Append(_replies);
            var known = _seen.Where(_conversations.ContainsKey);
            var fresh = _conversations.Keys.Where(c => !_seen.Contains(c)).Order(StringComparer.Ordinal);
            foreach (var channel in known.Concat(fresh)) to.Append(_conversations[channel]);
            return to;
        }

        private StringBuilder Current =>
            FromChannel.Value is { } channel ? _conversations.TryGetValue(channel, out var text) ? text : _conversations[channel] = new StringBuilder() : _replies;
    }

    /// <summary>The conversation the outbox's chat port prints to, while it prints (null: a reply).</summary>
    private static readonly AsyncLocal<string?> FromChannel = new();

    /// <summary>The shell's chat port, marking what it prints as the channel's.</summary>
    private sealed class ChannelStream(ShellChat inner) : IChat, IChannelPoster
    {
        public Task<string> PostAsync(string channel, ChatContent content, string? threadTs, CancellationToken cancellationToken) =>
            Marked(channel, () => inner.PostAsync(channel, content, threadTs, cancellationToken));

        public Task UpdateAsync(string channel, string ts, ChatContent content, CancellationToken cancellationToken) =>
            Marked(channel, async () => { await inner.UpdateAsync(channel, ts, content, cancellationToken); return true; });

        public Task<PostedMessage> PostAsync(string channel, ChatMessage message, string? threadTs, CancellationToken cancellationToken) =>
            Marked(channel, () => inner.PostAsync(channel, message, threadTs, cancellationToken));

        private static async Task<T> Marked<T>(string channel, Func<Task<T>> print)
        {
            FromChannel.Value = channel;
            return await print();
        }
    }
}
