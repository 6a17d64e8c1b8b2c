using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.PagerDuty;

/// <summary>The simulated Events API v2 under <c>/pagerduty-events/</c>: <c>POST /v2/enqueue</c>, authorized by the routing key in the body.</summary>
internal sealed class PagerDutyEventsApi(SandboxPagerDuty pagerDuty)
{
    public const string Prefix = "/pagerduty-events";

    public async Task HandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "")[Prefix.Length..].TrimEnd('/');
        if (context.Request.Method != "POST" || path != "/v2/enqueue")
        {
            await PagerDutyHttp.WriteAsync(context, 404, new { status = "not found", message = $"The sandbox Events API only serves POST {Prefix}/v2/enqueue." });
            return;
        }
        try
        {
            if (await pagerDuty.Failures.MeetAsync(context, events: true)) return;
            var answer = pagerDuty.Enqueue(await PagerDutyHttp.ReadBodyAsync(context.Request));
            await PagerDutyHttp.WriteAsync(context, answer.Status, answer.Body);
        }
        catch (PagerDutyException e)
        {
            await PagerDutyHttp.WriteAsync(context, e.Status, new { status = "invalid event", message = e.Message, errors = e.Errors });
        }
    }
}
