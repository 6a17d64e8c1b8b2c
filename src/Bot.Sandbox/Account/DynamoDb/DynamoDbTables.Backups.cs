using System.Text.RegularExpressions;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

public sealed partial class DynamoDbTables
{
    /// <summary>CreateBackup: an on-demand backup of the table as it is now, CREATING until the backup duration has passed.</summary>
    internal TableBackup CreateBackup(TableState table, string name) => Change(now =>
    {
        if (name.Length is < 3 or > 255 || !BackupNamePattern().IsMatch(name))
            throw new AwsException("ValidationException",
                $"1 validation error detected: Value '{name}' at 'backupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        if (table.Status(now) != "ACTIVE")
            throw new AwsException("TableInUseException", $"Table is not in ACTIVE state: {table.Name}");
        var backup = new TableBackup(TableBackup.ArnFor(table.Definition, now, _account.Options.Seed, NextId()), name, table,
            table.Definition, now, now + Options.BackupCreationDuration);
        _backups.Add(backup);
        return backup;
    });

    internal TableBackup? Backup(string arn)
    {
        lock (_gate) return _backups.FirstOrDefault(b => b.Arn == arn);
    }

    /// <summary>DeleteBackup: gone at once (a backup still being created is in use).</summary>
    internal TableBackup DeleteBackup(string arn) => Change(now =>
    {
        var backup = _backups.FirstOrDefault(b => b.Arn == arn) ?? throw new AwsException("BackupNotFoundException", $"Backup not found: {arn}");
        if (backup.Status(now) != "AVAILABLE")
            throw new AwsException("BackupInUseException", $"Backup is being created: {arn}");
        _backups.Remove(backup);
        return backup;
    });

    /// <summary>The backups matching ListBackups' filters, oldest first.</summary>
    internal IReadOnlyList<TableBackup> Backups(string? table, DateTimeOffset? from, DateTimeOffset? to, string type)
    {
        lock (_gate)
        {
            return _backups
                .Where(b => table is null || b.SourceDefinition.Name == table || b.SourceDefinition.Arn == table)
                .Where(b => (from is null || b.Created >= from) && (to is null || b.Created <= to))
                .Where(b => type == "ALL" || b.Type == type)
                .OrderBy(b => b.Created).ThenBy(b => b.Arn, StringComparer.Ordinal)
                .ToList();
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_.-]+$")]
    private static partial Regex BackupNamePattern();
}
