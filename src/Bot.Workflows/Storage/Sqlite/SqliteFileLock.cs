namespace Bot.Workflows.Storage.Sqlite;

/// <summary>
/// The SQLite store is for one process: a running bot holds an exclusive lock on <c>&lt;file&gt;.lock</c> next to the database for
/// as long as it runs (the operating system lets go of it when the process ends, however it ends), and a second process opening
/// the same file is refused with a clear message instead of interleaving its leases and pacing with the first's. Store objects of
/// one process share the lock.
/// </summary>
internal static class SqliteFileLock
{
    private static readonly Dictionary<string, FileStream> Held = new(StringComparer.Ordinal);

    /// <summary>Takes the lock of the database at <paramref name="path"/> for this process (again: nothing more to do).</summary>
    public static void Acquire(string path)
    {
        var lockPath = Path.GetFullPath(path) + ".lock";
        lock (Held)
        {
            if (Held.ContainsKey(lockPath)) return;
            try
            {
                Held[lockPath] = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e)
            {
                throw new InvalidOperationException(
                    $"The SQLite store '{path}' is in use by another process (it holds '{lockPath}'). The SQLite store is for one instance: " +
                    "stop the other one, or run several instances on the DynamoDB store (Store__Provider=dynamodb).", e);
            }
        }
    }
}
