using Bot.Workflows;

namespace Bot.Shell;

/// <summary>The shell would have touched what the server owns; the message says what and which flag allows it.</summary>
public sealed class ShellSafetyException(string message) : Exception(message);

/// <summary>
/// Keeps a shell started on a production box away from production. Environment variables and
/// appsettings are the server's: <c>Store__Provider=dynamodb</c> in the container image, a
/// <c>Store__SqlitePath</c>, <c>Sandbox__Enabled=false</c>. Unless told otherwise with a flag that says what it
/// does, the shell uses its own SQLite file (<c>Shell__SqlitePath</c>, default <c>securebase-bot/shell.db</c>
/// in the user's data folder, never the server's <c>bot.db</c>) and the sandbox AWS account. Otherwise it
/// would share the server's outbox (marking messages sent that Slack never saw), fire its timers, and act
/// on real AWS. The settings here are applied after every other source, so nothing overrides them.
/// </summary>
public sealed record ShellSafety(bool UseServerStore, bool RealAws)
{
    /// <summary>Use the store the server is configured with (<c>Store__*</c>, DynamoDB included): its workflows, outbox and timers.</summary>
    public const string UseServerStoreFlag = "--use-server-store";

    /// <summary>Send the AWS commands to the account in the environment (AWS's own variables) instead of the sandbox.</summary>
    public const string RealAwsFlag = "--real-aws";

    public const string SqlitePathKey = "Shell:SqlitePath";

    /// <summary>The flags among <paramref name="args"/>, and the other arguments (left for the host's configuration).</summary>
    public static (ShellSafety Safety, string[] OtherArgs) FromArgs(string[] args)
    {
        var flags = new[] { UseServerStoreFlag, RealAwsFlag };
        var safety = new ShellSafety(
            args.Contains(UseServerStoreFlag, StringComparer.OrdinalIgnoreCase),
            args.Contains(RealAwsFlag, StringComparer.OrdinalIgnoreCase));
        return (safety, args.Where(a => !flags.Contains(a, StringComparer.OrdinalIgnoreCase)).ToArray());
    }

    /// <summary>The shell's own SQLite file: <c>Shell:SqlitePath</c>, or <c>securebase-bot/shell.db</c> in the user's data folder.</summary>
    public static string ShellSqlitePath(IConfiguration configuration) =>
        configuration[SqlitePathKey] is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "securebase-bot", "shell.db");

    /// <summary>
    /// The configuration that wins over everything else, and notices of server settings it set aside. Throws
    /// <see cref="ShellSafetyException"/> when the shell's own file is the server's.
    /// </summary>
    public (Dictionary<string, string?> Overrides, IReadOnlyList<string> Notices) Apply(IConfiguration configuration)
    {
        var overrides = new Dictionary<string, string?>();
        var notices = new List<string>();
        if (!UseServerStore)
        {
            var server = configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
            var own = ShellSqlitePath(configuration);
            if (server.IsSqlite && SamePath(own, server.ResolvedSqlitePath))
                throw new ShellSafetyException(
                    $"The shell's own store ({SqlitePathKey.Replace(":", "__")}={own}) is the server's SQLite file. Point it elsewhere, or pass {UseServerStoreFlag} to share the server's store on purpose.");
            if (server.IsDynamoDb || !string.IsNullOrWhiteSpace(server.SqlitePath))
                notices.Add($"The shell uses its own store ({own}), not the server's ({Describe(server)}); pass {UseServerStoreFlag} to share the server's workflows, outbox and timers.");
            overrides["Store:Provider"] = "sqlite";
            overrides["Store:SqlitePath"] = own;
            overrides["Store:DynamoDbTable"] = null;
            overrides["Store:CreateTable"] = "false";
        }
        if (!RealAws)
        {
            if (configuration["Sandbox:Enabled"] is { } sandbox && bool.TryParse(sandbox, out var enabled) && !enabled)
                notices.Add($"The shell talks to the sandbox AWS account, not real AWS (Sandbox__Enabled=false is the server's); pass {RealAwsFlag} to use the account in the environment.");
            overrides["Sandbox:Enabled"] = "true";
        }
        else
        {
            overrides["Sandbox:Enabled"] = "false";
        }
        return (overrides, notices);
    }

    private static string Describe(StoreOptions server) =>
        server.IsDynamoDb ? $"DynamoDB table {server.DynamoDbTable}" : server.ResolvedSqlitePath;

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
