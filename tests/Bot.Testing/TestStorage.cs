namespace Bot.Testing;

/// <summary>Throwaway state for bots started by tests: never the user's own <c>securebase-bot/bot.db</c>.</summary>
public static class TestStorage
{
    /// <summary>The folder under the temp directory that holds every test bot's files.</summary>
    public static string Root => Path.Combine(Path.GetTempPath(), "securebase-bot-tests");

    /// <summary>A fresh SQLite file path in its own folder (the folder is created by the store).</summary>
    public static string NewSqlitePath() => Path.Combine(Root, Guid.NewGuid().ToString("N"), "bot.db");

    /// <summary>Removes the folder of a path from <see cref="NewSqlitePath"/>, closing pooled connections first; a folder still in use stays.</summary>
    public static void Delete(string sqlitePath)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path.GetDirectoryName(sqlitePath)!, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
