using System.Text.Json;

namespace Bot.Workflows.Recovery.Activities;

/// <summary>How the recovery activities' results travel to their aggregates (the engine's web defaults).</summary>
internal static class RecoveryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T? Read<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, Options);
}
