namespace Bot.Testing;

/// <summary>
/// Locates the reference data vendored in <c>tests/fixtures</c> (data written by others, with its origin and licence in
/// that folder's README), so a clone of this repository alone runs its tests. Read-only: tests never write there.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    /// <summary>The repository root (the folder holding <c>Bot.sln</c>).</summary>
    public static string RepositoryRoot => FindRepositoryRoot();

    /// <summary>Absolute path of a fixture, e.g. <c>Fixtures.PathOf("slack/signature/docs-example.json")</c>.</summary>
    public static string PathOf(string relative)
    {
        var path = Path.Combine(RootDirectory.Value, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"Fixture '{relative}' not found under {RootDirectory.Value}");
        return path;
    }

    public static string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    public static byte[] ReadBytes(string relative) => File.ReadAllBytes(PathOf(relative));

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("BOT_FIXTURES_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        var candidate = Path.Combine(FindRepositoryRoot(), "tests", "fixtures");
        if (!Directory.Exists(candidate))
            throw new DirectoryNotFoundException($"Expected the vendored fixtures at {candidate} (or set BOT_FIXTURES_DIR).");
        return candidate;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bot.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Could not find Bot.sln above " + AppContext.BaseDirectory);
    }
}
