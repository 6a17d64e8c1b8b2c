using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Account.Lambda;

namespace Bot.Sandbox.Account.Logs;

/// <summary>
/// The <c>UNAUTHORIZED</c> lines the procedures' daily security check looks for: session-management rejects each login of
/// a failed-login burst (the same bursts as the activity feed's, with the address), and now and then user-management
/// refuses a request for want of a role (about six a day in prod).
/// </summary>
internal static class SecurityLogLines
{
    private const int MaxPerMinute = 12;

    public static IEnumerable<(long At, string Message)> For(SandboxAccount account, LambdaFunction fn, long minute)
    {
        var seed = account.Options.Seed;
        var start = minute * 60_000;
        if (fn.Profile.Suffix == SecureBaseCatalog.SessionManagement)
        {
            foreach (var burst in ActivityFeedGenerator.Bursts.Where(b => b.Environment == fn.Environment))
            {
                var from = Metrics.MetricModel.MinuteOf(account.Created.AddHours(-burst.HoursAgo));
                if (minute < from || minute >= from + burst.Minutes) continue;
                var perMinute = Math.Min(MaxPerMinute, (int)Math.Ceiling(burst.Count / (double)burst.Minutes));
                for (var i = 0; i < perMinute; i++)
                {
                    double U(int salt) => Deterministic.Unit(seed, fn.Name + ":unauthorized:" + burst.IpAddress, minute * 100 + i, salt);
                    var at = start + (long)(U(1) * 59_000);
                    var requestId = Deterministic.Guid(seed, fn.Name + ":unauthorized-req", minute * 100 + i).ToString();
                    var user = burst.SingleUser ? "u-10050" : $"u-{10_000 + (int)(U(2) * 80_000)}";
                    yield return (at, LogLines.Warn(fn, at, requestId,
                        $"UNAUTHORIZED login rejected {{\"userId\":\"{user}\",\"customerId\":\"cust-{1000 + burst.Customer}\",\"sourceIp\":\"{burst.IpAddress}\",\"reason\":\"invalid_password\"}}"));
                }
            }
        }
        else if (fn.Profile.Suffix == SecureBaseCatalog.UserManagement && Deterministic.Unit(seed, fn.Name + ":unauthorized", minute) < 0.004 * SecureBaseCatalog.Scale(fn.Environment))
        {
            double U(int salt) => Deterministic.Unit(seed, fn.Name + ":unauthorized", minute, salt);
            var at = start + (long)(U(1) * 59_000);
            var requestId = Deterministic.Guid(seed, fn.Name + ":unauthorized-req", minute).ToString();
            yield return (at, LogLines.Warn(fn, at, requestId,
                $"UNAUTHORIZED role assignment refused {{\"userId\":\"u-{10_000 + (int)(U(2) * 80_000)}\",\"requiredRole\":\"admin\",\"role\":\"auditor\"}}"));
        }
    }
}
