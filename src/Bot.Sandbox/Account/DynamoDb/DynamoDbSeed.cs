namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// The backup and data-lifecycle settings the account starts with, so the bot has both green and ⚠️ to report:
/// <list type="bullet">
/// <item>PITR is on for every prod and staging table since the table was created (a full 35-day window); in dev it was
/// turned on 9 days ago, and it is off on <c>securebase-dev-activity-feed</c>.</item>
/// <item>TTL is on (attribute <c>expires_at</c>) for <c>securebase-prod-user-sessions</c> only; it is deleting the
/// expired sessions the table had piled up, within <see cref="RecoveryOptions.TtlDeletionDelay"/>.</item>
/// <item>On-demand backups: three monthly ones per prod table (<c>&lt;table&gt;-monthly-yyyy-MM-01</c>, 03:00 UTC on the
/// first of the last three months), one per staging table 12 days ago (<c>&lt;table&gt;-before-schema-change</c>),
/// none in dev.</item>
/// <item><c>securebase-staging-reports</c> switched to on-demand 3 hours before the account starts.</item>
/// </list>
/// </summary>
internal static class DynamoDbSeed
{
    public const string DevTableWithoutPitr = "securebase-dev-activity-feed";
    public const string RecentlySwitchedTable = "securebase-staging-reports";

    public static void Apply(DynamoDbTables tables, SandboxAccount account)
    {
        var seed = account.Options.Seed;
        var created = account.Created;
        foreach (var table in tables.All())
        {
            var definition = table.Definition;
            var env = definition.Environment;
            table.Pitr = env switch
            {
                "prod" or "staging" => new PointInTimeRecovery(true, definition.Created),
                _ when table.Name == DevTableWithoutPitr => PointInTimeRecovery.Off,
                _ => new PointInTimeRecovery(true, created.AddDays(-9).AddMinutes(-Deterministic.Unit(seed, table.Name + ":pitr", 0) * 600)),
            };
            if (env == "prod" && definition.Profile.Suffix == SecureBaseCatalog.UserSessions)
                table.Ttl = new TimeToLive(true, "expires_at", definition.Created.AddDays(30));
            if (!definition.Provisioned) table.LastUpdateToPayPerRequest = definition.Created;
            if (table.Name == RecentlySwitchedTable)
            {
                var switched = created.AddHours(-3);
                table.SwitchesToPayPerRequest.Add(switched);
                table.LastUpdateToPayPerRequest = switched;
            }

            if (env == "prod")
            {
                var latest = new DateTimeOffset(created.Year, created.Month, 1, 3, 0, 0, TimeSpan.Zero);
                if (latest >= created) latest = latest.AddMonths(-1);
                for (var m = 2; m >= 0; m--)
                {
                    var at = latest.AddMonths(-m);
                    AddBackup(tables, table, $"{table.Name}-monthly-" + at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), at, seed);
                }
            }
            else if (env == "staging")
                AddBackup(tables, table, $"{table.Name}-before-schema-change", created.AddDays(-12).AddHours(-2), seed);
        }
    }

    private static void AddBackup(DynamoDbTables tables, TableState table, string name, DateTimeOffset at, int seed)
    {
        var arn = TableBackup.ArnFor(table.Definition, at, seed, (long)(Deterministic.Hash(name) % 1_000_000));
        tables.AddBackup(new TableBackup(arn, name, table, table.Definition, at, at));
    }
}
