namespace Bot.Sandbox.Account;

/// <summary>What a SecureBase Lambda function looks like and how busy it is in production.</summary>
internal sealed record FunctionProfile(
    string Suffix,
    string Description,
    string Runtime,
    string Handler,
    int MemorySize,
    int Timeout,
    double InvocationsPerMinute,
    double AverageDurationMs,
    int PublishedVersions);

/// <summary>What a SecureBase DynamoDB table looks like in production.</summary>
internal sealed record TableProfile(
    string Suffix,
    string HashKey,
    string HashKeyType,
    string? RangeKey,
    string? RangeKeyType,
    string? IndexName,
    string? IndexHashKey,
    long ProdItemCount,
    int AverageItemBytes,
    double ReadFraction,
    bool ProdProvisioned,
    int ProdReadCapacity,
    int ProdWriteCapacity,
    bool Stream);

/// <summary>
/// The SecureBase account of the ops guide: per environment four tables, three functions, one REST API.
/// Names are <c>securebase-&lt;env&gt;-&lt;suffix&gt;</c>.
/// </summary>
internal static class SecureBaseCatalog
{
    public const string UserManagement = "user-management";
    public const string SessionManagement = "session-management";
    public const string ReportEngine = "report-engine";

    public const string UserSessions = "user-sessions";
    public const string UserInvites = "user-invites";
    public const string ActivityFeed = "activity-feed";
    public const string Reports = "reports";

    public static readonly IReadOnlyList<FunctionProfile> Functions =
    [
        new(UserManagement, "SecureBase user, role and invite management", "nodejs20.x", "src/handlers/users.handler", 512, 30, 40, 85, 7),
        new(SessionManagement, "SecureBase login sessions: create, refresh, revoke", "nodejs20.x", "src/handlers/sessions.handler", 256, 10, 120, 32, 12),
        new(ReportEngine, "SecureBase compliance and usage report generation", "python3.12", "report_engine.app.handler", 1024, 300, 6, 2400, 5),
    ];

    public static readonly IReadOnlyList<TableProfile> Tables =
    [
        new(UserSessions, "customer_id", "S", "session_id", "S", "user_id-index", "user_id", 184_233, 420, 0.7, false, 0, 0, false),
        new(UserInvites, "tenantId", "S", "inviteId", "S", "email-index", "email", 12_418, 310, 0.6, true, 10, 5, false),
        new(ActivityFeed, "customer_id", "S", "timestamp", "S", "ActionIndex", "action", 2_614_902, 680, 0.8, true, 50, 25, true),
        new(Reports, "reportId", "S", null, null, "tenantId-index", "tenantId", 48_310, 2100, 0.5, false, 0, 0, false),
    ];

    /// <summary>How much traffic an environment sees relative to production.</summary>
    public static double Scale(string environment) => environment switch
    {
        "prod" => 1.0,
        "staging" => 0.2,
        "dev" => 0.08,
        _ => 0.05,
    };

    /// <summary>The tables a function reads and writes (by suffix), busiest first.</summary>
    public static IReadOnlyList<string> TablesUsedBy(string functionSuffix) => functionSuffix switch
    {
        SessionManagement => [UserSessions],
        UserManagement => [UserInvites, ActivityFeed, UserSessions],
        _ => [Reports],
    };

    public static string FunctionName(string environment, string suffix) => $"securebase-{environment}-{suffix}";
    public static string TableName(string environment, string suffix) => $"securebase-{environment}-{suffix}";
    public static string ApiName(string environment) => $"securebase-{environment}-api";
    public static string LogGroupName(string functionName) => $"/aws/lambda/{functionName}";
}
