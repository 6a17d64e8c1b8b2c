using System.Globalization;
using System.Text.Json;
using Bot.Sandbox.Account;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.PagerDuty;

/// <summary>
/// The sandbox PagerDuty's part of the control API, under <c>/_sandbox/pagerduty</c> (no auth): see the account,
/// page a rehearsal scenario, point the webhooks at a subscriber, change or jump the escalation clock.
/// </summary>
internal sealed class PagerDutyControl(SandboxAccount account)
{
    public static readonly string[] Endpoints =
    [
        "GET    /_sandbox/pagerduty                       PagerDuty credentials, routing keys, policy, clock, subscription, incidents",
        "POST   /_sandbox/pagerduty/incidents/{scenario}  lambda-errors | dynamodb-throttling | api-5xx  {\"target\":\"securebase-prod-user-management\",\"rate\":0.5}",
        "PUT    /_sandbox/pagerduty/subscription          {\"url\":\"http://127.0.0.1:8080/pagerduty/webhooks\",\"secret\":\"…\"}",
        "DELETE /_sandbox/pagerduty/subscription          stop delivering webhooks",
        "GET    /_sandbox/pagerduty/deliveries            the last webhooks and what became of them",
        "POST   /_sandbox/pagerduty/clock                 {\"speed\":60} (escalation 60x faster) and/or {\"fastForward\":\"00:15:00\"}",
        "PUT    /_sandbox/pagerduty/failure               {\"kind\":\"5xx\"|\"slow\"|\"429\",\"rate\":0.5}: its REST and Events APIs fail on purpose",
        "DELETE /_sandbox/pagerduty/failure               they work again",
        "PUT    /_sandbox/pagerduty/oncall                {\"level\":1,\"user\":\"erin@securebase.example\"}: a shift change (the bot hands over)",
    ];

    private SandboxPagerDuty PagerDuty => account.PagerDuty;

    /// <summary><paramref name="segments"/> starts with <c>_sandbox</c>, <c>pagerduty</c>.</summary>
    public async Task HandleAsync(HttpContext context, string[] segments)
    {
        var method = context.Request.Method;
        try
        {
            switch (segments.Length, method)
            {
                case (2, "GET"):
                    await PagerDutyHttp.WriteAsync(context, 200, Summary());
                    return;
                case (3, "GET") when segments[2] == "incidents":
                    await PagerDutyHttp.WriteAsync(context, 200, PagerDuty.Incidents);
                    return;
                case (4, "POST") when segments[2] == "incidents":
                    var body = await ReadAsync(context);
                    var paged = PagerDutyScenarios.Page(account, segments[3], Text(body, "target"), Number(body, "rate"));
                    await PagerDutyHttp.WriteAsync(context, 201, new { scenario = paged.Scenario, fault = paged.Fault.Id, incident = paged.Incident });
                    return;
                case (3, "PUT") when segments[2] == "subscription":
                    var subscription = await ReadAsync(context);
                    var url = Text(subscription, "url") ?? throw new ArgumentException("Send \"url\" (a loopback URL) in the JSON body.");
                    PagerDuty.Webhooks.Subscribe(Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"'{url}' is not an absolute URL."), Text(subscription, "secret"));
                    await PagerDutyHttp.WriteAsync(context, 200, new { url = PagerDuty.Webhooks.Url, enabled = PagerDuty.Webhooks.Enabled });
                    return;
                case (3, "DELETE") when segments[2] == "subscription":
                    PagerDuty.Webhooks.Unsubscribe();
                    context.Response.StatusCode = 204;
                    return;
                case (3, "GET") when segments[2] == "deliveries":
                    await PagerDutyHttp.WriteAsync(context, 200, PagerDuty.Webhooks.Log);
                    return;
                case (3, "PUT") when segments[2] == "failure":
                    var failure = await ReadAsync(context);
                    var set = PagerDuty.Failures.Set(PagerDutyFailure.Parse(Text(failure, "kind") ?? throw new ArgumentException("Send \"kind\": 5xx, slow or 429.")),
                        Number(failure, "rate") ?? 1);
                    await PagerDutyHttp.WriteAsync(context, 200, new { kind = set.Name, rate = set.Rate });
                    return;
                case (3, "DELETE") when segments[2] == "failure":
                    PagerDuty.Failures.Clear();
                    context.Response.StatusCode = 204;
                    return;
                case (3, "PUT") when segments[2] == "oncall":
                    var shift = await ReadAsync(context);
                    var level = (int)(Number(shift, "level") ?? 1);
                    var user = PagerDutyDirectory.UserByEmail(Text(shift, "user")) ?? PagerDutyDirectory.Users.FirstOrDefault(u => u.Id == Text(shift, "user"))
                               ?? throw new ArgumentException($"Send \"user\": the e-mail of one of {string.Join(", ", PagerDutyDirectory.Users.Select(u => u.Email))}.");
                    var since = PagerDuty.HandOver(level, user);
                    await PagerDutyHttp.WriteAsync(context, 200, new { level, onCall = user.Email, since });
                    return;
                case (3, "POST") when segments[2] == "clock":
                    var clock = await ReadAsync(context);
                    if (Number(clock, "speed") is { } speed) PagerDuty.SetClockSpeed(speed);
                    if (Text(clock, "fastForward") is { } span)
                        PagerDuty.FastForward(TimeSpan.TryParse(span, CultureInfo.InvariantCulture, out var t) ? t : throw new ArgumentException("fastForward is a TimeSpan such as \"00:15:00\"."));
                    await PagerDutyHttp.WriteAsync(context, 200, new { speed = PagerDuty.ClockSpeed, incidents = PagerDuty.Incidents });
                    return;
                default:
                    await PagerDutyHttp.WriteAsync(context, 404, new { error = $"No sandbox PagerDuty endpoint {method} /{string.Join('/', segments)}.", endpoints = Endpoints });
                    return;
            }
        }
        catch (ArgumentException e)
        {
            await PagerDutyHttp.WriteAsync(context, 400, new { error = e.Message.Split(" (Parameter")[0] });
        }
    }

    private object Summary() => new
    {
        apiToken = PagerDuty.Options.ApiToken,
        webhookSecret = PagerDuty.Options.WebhookSecret,
        fromEmail = PagerDutyDirectory.Bot.Email,
        escalationPolicy = new
        {
            id = PagerDutyDirectory.PolicyId,
            name = PagerDutyDirectory.PolicyName,
            levels = PagerDuty.OnCalls.Select(o => new { level = o.Level.Level, name = o.Level.Name, onCall = o.User.Email, since = o.Since, minutes = o.Level.Delay.TotalMinutes }),
        },
        services = PagerDutyDirectory.AllServices.Select(s => new { id = s.Id, name = s.Name, routingKey = s.RoutingKey, team = s.TeamId }),
        users = PagerDutyDirectory.Users.Select(u => new { id = u.Id, name = u.Name, email = u.Email }),
        clockSpeed = PagerDuty.ClockSpeed,
        failure = PagerDuty.Failures.Current is { } f ? new { kind = f.Name, rate = f.Rate } : null,
        subscription = new { url = PagerDuty.Webhooks.Url, enabled = PagerDuty.Webhooks.Enabled },
        incidents = PagerDuty.Incidents,
        endpoints = Endpoints,
    };

    private static async Task<JsonElement> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength is null or 0) return JsonSerializer.SerializeToElement(new { });
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : throw new ArgumentException("Send a JSON object.");
        }
        catch (JsonException)
        {
            throw new ArgumentException("The body is not valid JSON; send a JSON object.");
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
