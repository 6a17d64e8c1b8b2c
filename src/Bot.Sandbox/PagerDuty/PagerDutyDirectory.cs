namespace Bot.Sandbox.PagerDuty;

/// <summary>A PagerDuty user of the sandbox account.</summary>
public sealed record SandboxPagerDutyUser(string Id, string Name, string Email, string JobTitle);

/// <summary>A level of the escalation policy: who is notified, and how long they have before the next level.</summary>
public sealed record SandboxEscalationLevel(int Level, string Name, SandboxPagerDutyUser OnCall, TimeSpan Delay);

/// <summary>A PagerDuty service with an Events API v2 integration (its routing key), and the team it belongs to.</summary>
public sealed record SandboxPagerDutyService(string Id, string Name, string Description, string RoutingKey, TimeSpan AcknowledgementTimeout,
    string TeamId = PagerDutyDirectory.TeamId, string TeamName = PagerDutyDirectory.TeamName);

/// <summary>
/// Who is who in the sandbox's PagerDuty account: the SecureBase escalation policy of the ops guide
/// (DevOps engineer 15 min → senior DevOps engineer 30 min → engineering manager 1 h → VP engineering 2 h),
/// its on-call users, the bot's own user, and one service per playbook area, each with a routing key. Another team shares
/// the account (<see cref="PaymentsService"/>, team <see cref="OtherTeamId"/>): the bot must never follow its incidents.
/// </summary>
public static class PagerDutyDirectory
{
    public const string PolicyId = "PSBESC1";
    public const string PolicyName = "SecureBase";
    public const string TeamId = "PSBTEAM";
    public const string TeamName = "SecureBase Operations";
    public const string WebBase = "https://securebase.pagerduty.example";
    public const string ApiBase = "https://api.pagerduty.example";

    public static readonly SandboxPagerDutyUser Alice = new("PALICE1", "Alice Chen", "alice@securebase.example", "DevOps engineer");
    public static readonly SandboxPagerDutyUser Bob = new("PBOB001", "Bob Okafor", "bob@securebase.example", "Senior DevOps engineer");
    public static readonly SandboxPagerDutyUser Carol = new("PCAROL1", "Carol Diaz", "carol@securebase.example", "Engineering manager");
    public static readonly SandboxPagerDutyUser Dave = new("PDAVE01", "Dave Kim", "dave@securebase.example", "VP engineering");
    public static readonly SandboxPagerDutyUser Erin = new("PERIN01", "Erin Novak", "erin@securebase.example", "DevOps engineer");
    public static readonly SandboxPagerDutyUser Bot = new("PSBBOT1", "SecureBase Ops Bot", "securebase-bot@securebase.example", "Automation");

    public static readonly IReadOnlyList<SandboxPagerDutyUser> Users = [Alice, Bob, Carol, Dave, Erin, Bot];

    public static readonly IReadOnlyList<SandboxEscalationLevel> Levels =
    [
        new(1, "DevOps engineer", Alice, TimeSpan.FromMinutes(15)),
        new(2, "Senior DevOps engineer", Bob, TimeSpan.FromMinutes(30)),
        new(3, "Engineering manager", Carol, TimeSpan.FromHours(1)),
        new(4, "VP engineering", Dave, TimeSpan.FromHours(2)),
    ];

    public const string LambdaService = "securebase-prod-lambda";
    public const string DynamoDbService = "securebase-prod-dynamodb";
    public const string ApiService = "securebase-prod-api";

    public static readonly IReadOnlyList<SandboxPagerDutyService> Services =
    [
        new("PSBLMB1", LambdaService, "SecureBase prod Lambda functions", "5b1e0c0a7c3d4e1f9a2b3c4d5e6f7a01", TimeSpan.FromMinutes(30)),
        new("PSBDDB1", DynamoDbService, "SecureBase prod DynamoDB tables", "5b1e0c0a7c3d4e1f9a2b3c4d5e6f7a02", TimeSpan.FromMinutes(30)),
        new("PSBAPI1", ApiService, "SecureBase prod API Gateway", "5b1e0c0a7c3d4e1f9a2b3c4d5e6f7a03", TimeSpan.FromMinutes(30)),
    ];

    public const string OtherTeamId = "PPAYTEAM";
    public const string OtherTeamName = "Payments";

    /// <summary>Another team's service in the same account: its incidents are not SecureBase's.</summary>
    public static readonly SandboxPagerDutyService PaymentsService =
        new("PPAYAPI", "payments-prod-api", "Payments prod API (another team)", "7c2f1d0b8e4a4c5d9f0e1a2b3c4d5e99", TimeSpan.FromMinutes(30), OtherTeamId, OtherTeamName);

    /// <summary>Every service of the account, SecureBase's and the other team's.</summary>
    public static IEnumerable<SandboxPagerDutyService> AllServices => Services.Append(PaymentsService);

    public static SandboxPagerDutyUser? UserByEmail(string? email) =>
        Users.FirstOrDefault(u => string.Equals(u.Email, email?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static SandboxPagerDutyUser? UserById(string? id) => Users.FirstOrDefault(u => u.Id == id);

    public static SandboxPagerDutyService? ServiceByRoutingKey(string? key) => AllServices.FirstOrDefault(s => s.RoutingKey == key);

    public static SandboxPagerDutyService? ServiceByName(string name) =>
        AllServices.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase) || s.Id == name);
}
