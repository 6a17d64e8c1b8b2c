using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// The serializer settings for PagerDuty's APIs: snake_case names, nulls left out of requests, unknown
/// fields ignored, numbers given as strings accepted (PagerDuty's examples are not always strict).
/// </summary>
public static class PagerDutyJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
