using System.Globalization;
using System.Text;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;

namespace Bot.Shell;

/// <summary>How the shell talks to its terminal: where output goes, whether ANSI styling is allowed, where files land.</summary>
public sealed record ShellTerminalOptions(TextWriter Output, bool Ansi, string FilesDirectory, string ChannelId)
{
    public const string DefaultChannel = "shell";

    /// <summary>
    /// How long messages from background work (the outbox) may take to arrive: <c>click N</c> waits
    /// this long for button N, and a scripted session waits for output to go quiet before it exits.
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>A button the shell showed, so <c>click N</c> can press it later.</summary>
public sealed record ShellButton(int Number, ShellButtonAction Action, string Channel, string MessageTs);

/// <summary>
/// The shell's screen: prints bot messages (<see cref="ShellRenderer"/>), numbers their buttons across the
/// session, remembers the fake users' names for mentions, and saves uploaded files. Thread-safe: the
/// outbox may print while a command runs.
/// </summary>
public sealed class ShellTerminal(ShellTerminalOptions options, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly List<ShellButton> _buttons = [];
    // The rehearsal roster by name from the start, so a card naming who may approve shows @dave, not @UDAVE, before dave acts.
    private readonly Dictionary<string, string> _userNames = ShellHost.RehearsalRoles.Keys.ToDictionary(n => ShellSession.UserFor(n).UserId, n => n, StringComparer.Ordinal);
    private long _sequence;
    private int _files;
    private TaskCompletionSource _printed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ShellTerminalOptions Options => options;

    public void RememberUser(Actor actor)
    {
        lock (_gate) _userNames[actor.UserId] = actor.UserName;
    }

    public string? UserName(string userId)
    {
        lock (_gate) return _userNames.TryGetValue(userId, out var name) ? name : null;
    }

    public ShellButton? Button(int number)
    {
        lock (_gate) return number >= 1 && number <= _buttons.Count ? _buttons[number - 1] : null;
    }

    public int ButtonCount
    {
        get { lock (_gate) return _buttons.Count; }
    }

    /// <summary>A Slack-like message timestamp, unique within the session.</summary>
    public string NextTs()
    {
        var n = Interlocked.Increment(ref _sequence);
        return string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().ToUnixTimeSeconds()}.{n:D6}");
    }

    /// <summary>Prints a plain line (shell notices, the echo of scripted input).</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            options.Output.WriteLine(text);
            options.Output.Flush();
        }
    }

    /// <summary>Prints a line in grey when the terminal allows it.</summary>
    public void Notice(string text) => Line(options.Ansi ? $"\u001b[2m{text}\u001b[0m" : text);

    /// <summary>A line of bot text as the shell shows messages (mentions by name), indented under what it belongs to.</summary>
    public void Comment(Line line)
    {
        string shown;
        lock (_gate) shown = new ShellRenderer(options.Ansi, UserNameUnlocked, _ => 0).Text(line);
        if (shown.Length > 0) Line("  " + shown);
    }

    /// <summary>Prints a command's answer under <paramref name="label"/> and numbers its buttons.</summary>
    public void Message(string label, ChatMessage message, string channel, string ts) => Print(label, channel, ts, renderer => renderer.Render(message));

    /// <summary>Prints a workflow's message under <paramref name="label"/> and numbers its buttons.</summary>
    public void Message(string label, ChatContent content, string channel, string ts) => Print(label, channel, ts, renderer => renderer.Render(content));

    private void Print(string label, string channel, string ts, Func<ShellRenderer, string> render)
    {
        lock (_gate)
        {
            var renderer = new ShellRenderer(options.Ansi, UserNameUnlocked, action =>
            {
                var number = _buttons.Count + 1;
                _buttons.Add(new ShellButton(number, action, channel, ts));
                return number;
            });
            var output = new StringBuilder();
            output.AppendLine(options.Ansi ? $"\u001b[1;36m{label}\u001b[0m" : label);
            output.Append(render(renderer));
            options.Output.Write(output.ToString());
            options.Output.WriteLine();
            options.Output.Flush();
            Interlocked.Exchange(ref _printed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>Waits (up to <see cref="ShellTerminalOptions.SettleTime"/>) for button <paramref name="number"/> to be shown.</summary>
    public async Task<ShellButton?> WaitForButtonAsync(int number, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.SettleTime);
        while (Button(number) is null)
        {
            try
            {
                await Volatile.Read(ref _printed).Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
        return Button(number);
    }

    /// <summary>Waits until no message has been printed for a while (bounded by four settle times), so late outbox messages are seen.</summary>
    public async Task WaitForQuietAsync(CancellationToken cancellationToken)
    {
        if (options.SettleTime <= TimeSpan.Zero) return;
        var quiet = options.SettleTime / 4;
        var deadline = time.GetUtcNow() + options.SettleTime * 4;
        while (time.GetUtcNow() < deadline)
        {
            var printed = Volatile.Read(ref _printed).Task;
            var finished = await Task.WhenAny(printed, Task.Delay(quiet, time, cancellationToken));
            if (finished != printed) return;
        }
    }

    /// <summary>Saves an uploaded file under <see cref="ShellTerminalOptions.FilesDirectory"/> and returns its path.</summary>
    public string SaveFile(ChatFile file)
    {
        var path = NewFilePath(file.FileName);
        File.WriteAllBytes(path, file.Content);
        return path;
    }

    /// <summary>Copies a file on disk (a large export) into the shell's files folder, as it would be uploaded.</summary>
    public string SaveFile(FileUpload file)
    {
        var path = NewFilePath(file.FileName);
        File.Copy(file.Path, path);
        return path;
    }

    private string NewFilePath(string fileName)
    {
        Directory.CreateDirectory(options.FilesDirectory);
        var number = Interlocked.Increment(ref _files);
        var safeName = string.Concat(Path.GetFileName(fileName).Select(c => Path.GetInvalidFileNameChars().Contains(c) || char.IsControl(c) ? '_' : c));
        if (string.IsNullOrWhiteSpace(safeName) || safeName is "." or "..") safeName = "file";
        return Path.Combine(options.FilesDirectory, $"{number:D3}-{safeName}");
    }

    private string? UserNameUnlocked(string userId) => _userNames.TryGetValue(userId, out var name) ? name : null;
}
