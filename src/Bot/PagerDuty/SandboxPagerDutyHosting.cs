namespace Bot.PagerDuty;

/// <summary>Placeholder until the sandbox simulates PagerDuty.</summary>
internal static class SandboxPagerDutyHosting
{
    public static IHostApplicationBuilder AddSandboxPagerDuty(this IHostApplicationBuilder builder) => builder;
}
