using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Tests.Storage;

/// <summary>How SQLite would run a query on the database at a path (<c>EXPLAIN QUERY PLAN</c>): one line per step.</summary>
internal static class SqliteQueryPlan
{
    public static async Task<IReadOnlyList<string>> OfAsync(string path, string sql, params (string Name, object Value)[] parameters)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        var plan = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) plan.Add(r.GetString(3));
        return plan;
    }
}
