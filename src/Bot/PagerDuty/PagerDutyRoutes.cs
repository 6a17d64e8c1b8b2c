namespace Bot.PagerDuty;

/// <summary>The PagerDuty request URL (the V3 webhook subscription points at this).</summary>
public static class PagerDutyRoutes
{
    public const string Webhooks = "/pagerduty/webhooks";
}
