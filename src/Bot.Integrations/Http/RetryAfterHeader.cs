using System.Net.Http.Headers;

namespace Bot.Integrations.Http;

/// <summary>Reads <c>Retry-After</c>: a number of seconds, or a date.</summary>
public static class RetryAfterHeader
{
    /// <summary>How long <paramref name="header"/> asks to wait from now; <paramref name="whenUnsaid"/> when it says neither.</summary>
    public static TimeSpan Wait(RetryConditionHeaderValue? header, TimeProvider time, TimeSpan whenUnsaid) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => whenUnsaid,
    };
}
