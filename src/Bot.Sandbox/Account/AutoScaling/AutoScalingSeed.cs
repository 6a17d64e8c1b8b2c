using System.Globalization;
using System.Text.Json;

namespace Bot.Sandbox.Account.AutoScaling;

/// <summary>The auto scaling the account starts with: see <see cref="ScalingRegistry"/>.</summary>
internal static class AutoScalingSeed
{
    public static void Apply(ScalingRegistry registry, SandboxAccount account)
    {
        var tables = new[]
        {
            ("prod", SecureBaseCatalog.ActivityFeed), ("prod", SecureBaseCatalog.UserInvites), ("staging", SecureBaseCatalog.ActivityFeed),
        };
        foreach (var (env, suffix) in tables)
        {
            if (!account.Environments.Contains(env)) continue;
            var table = account.Table(SecureBaseCatalog.TableName(env, suffix));
            if (table is not { Provisioned: true }) continue;
            var at = table.Created.AddDays(3);
            foreach (var (kind, capacity) in new[] { ("Read", table.ReadCapacity), ("Write", table.WriteCapacity) })
            {
                var dimension = $"dynamodb:table:{kind}CapacityUnits";
                var resource = "table/" + table.Name;
                registry.Register("dynamodb", resource, dimension, Math.Max(1, capacity / 2), capacity * 10, null, null, at);
                var configuration = JsonSerializer.SerializeToElement(new
                {
                    TargetValue = 70.0,
                    PredefinedMetricSpecification = new { PredefinedMetricType = $"DynamoDB{kind}CapacityUtilization" },
                    ScaleOutCooldown = 60,
                    ScaleInCooldown = 60,
                });
                registry.PutPolicy(string.Create(CultureInfo.InvariantCulture, $"{table.Name}-{kind.ToLowerInvariant()}-scaling"), "dynamodb", resource, dimension,
                    "TargetTrackingScaling", configuration, null, at);
            }
        }
    }
}
