using Bot.Tests.Shell;
using Bot.Testing;
using Bot.Tests;
namespace Bot.Tests.Shell.Golden;

/// <summary>
/// What people see, byte for byte: each scene's script runs in the shell against the sandbox on a fixed clock, and its
/// transcript must equal the one recorded in <c>&lt;scene&gt;.golden.txt</c>. A change of wording is deliberate only when
/// the recording is renewed with it (<c>GOLDEN_UPDATE=1 tests/run --filter Golden</c>) and the diff is read in review.
/// </summary>
public sealed class GoldenTranscriptTests
{
    public static TheoryData<string> Scenes => new(Directory.GetFiles(Folder, "*.script.txt").Select(f => Path.GetFileName(f)[..^".script.txt".Length]).Order(StringComparer.Ordinal));

    private static string Folder => Path.Combine(Bot.Testing.Fixtures.RepositoryRoot, "tests", "Bot.Tests", "Shell", "Golden");

    [Theory]
    [MemberData(nameof(Scenes))]
    public async Task The_shell_prints_what_it_printed_when_the_transcript_was_recorded(string scene)
    {
        var script = await File.ReadAllTextAsync(Path.Combine(Folder, scene + ".script.txt"));
        string transcript;
        await using (var shell = new GoldenShell()) transcript = await shell.RunAsync(script);

        var goldenPath = Path.Combine(Folder, scene + ".golden.txt");
        if (Environment.GetEnvironmentVariable("GOLDEN_UPDATE") == "1")
        {
            await File.WriteAllTextAsync(goldenPath, transcript);
            return;
        }
        Assert.True(File.Exists(goldenPath), $"No recording for scene '{scene}': run with GOLDEN_UPDATE=1 and review {goldenPath}.");
        var expected = (await File.ReadAllTextAsync(goldenPath)).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected == transcript) return;
        // A card's edits and the channel's posts leave in lanes of their own (the outbox sends an edit ahead of queued posts),
        // so only each lane's order is fixed: an edit that overtook a thread line is the same transcript.
        if (ByLane(expected) == ByLane(transcript)) return;
        var (line, want, got) = FirstDifference(expected, transcript);
        Assert.Fail($"Scene '{scene}' differs from its recording at line {line}:\n  recorded: {want}\n  now:      {got}\n\nWhole transcript now:\n{transcript}");
    }

    [Fact]
    public void An_edit_that_overtook_a_thread_line_is_the_same_transcript_but_edits_out_of_order_are_not()
    {
        const string edit1 = "sb edited message <ts1> in #shell:\n  Approved", edit2 = "sb edited message <ts1> in #shell:\n  Running";
        const string line = "sb in #shell, thread <ts1> (message <ts3>):\n  @bob approved.", prompt = "bob> click 1\n(@bob clicks [1] Approve)";
        var recorded = string.Join("\n\n", prompt, edit1, line, edit2, "bob> /sb changes");
        Assert.Equal(ByLane(recorded), ByLane(string.Join("\n\n", prompt, edit1, edit2, line, "bob> /sb changes")));
        Assert.NotEqual(ByLane(recorded), ByLane(string.Join("\n\n", prompt, edit2, line, edit1, "bob> /sb changes")));
        Assert.NotEqual(ByLane(recorded), ByLane(string.Join("\n\n", prompt, edit1, edit2, "bob> /sb changes", line)));
    }

    /// <summary>
    /// The transcript with each run of the bot's channel output (posts and thread lines, edits of cards) put lane by lane:
    /// the run's posts in their order, then its edits in theirs. Anything else (a prompt, an ephemeral answer, the clock)
    /// ends a run.
    /// </summary>
    internal static string ByLane(string transcript)
    {
        var segments = new List<(string Kind, List<string> Lines)>();
        foreach (var line in transcript.Split('\n'))
        {
            var kind = line.StartsWith("sb edited message ", StringComparison.Ordinal) ? "edit"
                : line.StartsWith("sb in ", StringComparison.Ordinal) ? "post"
                : line.StartsWith("sb ", StringComparison.Ordinal) || line.StartsWith("~ ", StringComparison.Ordinal) || line.Contains("> ", StringComparison.Ordinal) && !line.StartsWith(' ') ? "other"
                : null;
            if (kind is not null || segments.Count == 0) segments.Add((kind ?? "other", [line]));
            else segments[^1].Lines.Add(line);
        }
        var result = new List<string>();
        var posts = new List<string>();
        var edits = new List<string>();
        foreach (var (kind, lines) in segments)
        {
            if (kind == "post") posts.AddRange(lines);
            else if (kind == "edit") edits.AddRange(lines);
            else
            {
                result.AddRange(posts);
                result.AddRange(edits);
                posts.Clear();
                edits.Clear();
                result.AddRange(lines);
            }
        }
        result.AddRange(posts);
        result.AddRange(edits);
        return string.Join('\n', result);
    }

    private static (int Line, string Expected, string Actual) FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "(end)";
            var y = i < b.Length ? b[i] : "(end)";
            if (x != y) return (i + 1, x, y);
        }
        return (0, "", "");
    }
}
