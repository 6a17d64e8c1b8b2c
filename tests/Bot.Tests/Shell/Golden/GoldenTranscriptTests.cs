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
        var (line, want, got) = FirstDifference(expected, transcript);
        Assert.Fail($"Scene '{scene}' differs from its recording at line {line}:\n  recorded: {want}\n  now:      {got}\n\nWhole transcript now:\n{transcript}");
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
