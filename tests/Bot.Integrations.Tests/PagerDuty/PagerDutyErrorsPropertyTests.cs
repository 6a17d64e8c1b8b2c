using Bot.Testing.PagerDuty;
using Bot.Testing;
using System.Net.Http.Headers;
using Bot.Integrations.PagerDuty;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Integrations.Tests.PagerDuty;

/// <summary>What PagerDuty's error answers carry, read whatever they hold: the wait a 429 asks for, and the error body.</summary>
public sealed class PagerDutyErrorsPropertyTests
{
    private static readonly Gen<string> HeaderValues = Gen.OneOf(
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get),
        ArbMap.Default.GeneratorFor<double>().Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        ArbMap.Default.GeneratorFor<long>().Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements("Infinity", "-Infinity", "NaN", "1e308", "9223372036854775807", "0", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "", " "));

    private static HttpResponseHeaders Headers(string name, string value)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation(name, value);
        return response.Headers;
    }

    [Property(MaxTest = 500)]
    public Property Any_ratelimit_reset_header_is_a_wait_that_is_never_negative() =>
        Prop.ForAll(HeaderValues.ToArbitrary(), value => PagerDutyErrors.RetryAfter(Headers("ratelimit-reset", value), TimeProvider.System) >= TimeSpan.Zero);

    [Property(MaxTest = 500)]
    public Property Any_retry_after_header_is_a_wait_that_is_never_negative() =>
        Prop.ForAll(HeaderValues.ToArbitrary(), value => PagerDutyErrors.RetryAfter(Headers("Retry-After", value), TimeProvider.System) >= TimeSpan.Zero);

    [Property(MaxTest = 300)]
    public bool Any_error_body_is_read_or_ignored_without_throwing(string? body)
    {
        _ = PagerDutyErrors.ParseError(body);
        var text = System.Text.Json.JsonSerializer.Serialize(body);
        _ = PagerDutyErrors.ParseError("{\"error\":{\"code\":" + (body?.Length ?? 0) + ",\"message\":" + text + ",\"errors\":[" + text + "]}}");
        return true;
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("0.5", 0.5)]
    public void A_ratelimit_reset_in_seconds_is_the_wait(string value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PagerDutyErrors.RetryAfter(Headers("ratelimit-reset", value), TimeProvider.System));
}
