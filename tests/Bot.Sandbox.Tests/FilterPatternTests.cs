using Bot.Sandbox.Account.Logs;

namespace Bot.Sandbox.Tests;

public sealed class FilterPatternTests
{
    private const string Error = "2026-03-10T14:00:00.000Z\tabc\tERROR\tInvoke Error {\"errorType\":\"TypeError\"}";
    private const string Warn = "2026-03-10T14:00:00.000Z\tabc\tWARN\tDynamoDB request throttled, retrying";
    private const string Info = "2026-03-10T14:00:00.000Z\tabc\tINFO\tSession created";
    private const string Json = """{"level":"ERROR","latency":812,"http":{"status":503},"tags":["a","b"]}""";

    [Theory]
    [InlineData("", true, true, true)]
    [InlineData("ERROR", true, false, false)]
    [InlineData("warn", false, false, false)]
    [InlineData("?ERROR ?WARN", true, true, false)]
    [InlineData("\"request throttled\"", false, true, false)]
    [InlineData("abc -ERROR", false, true, true)]
    [InlineData("%Session (created|revoked)%", false, false, true)]
    [InlineData("Invoke TypeError", true, false, false)]
    public void Unstructured_patterns_match_as_in_CloudWatch(string pattern, bool error, bool warn, bool info)
    {
        var p = FilterPattern.Parse(pattern);

        Assert.Equal((error, warn, info), (p.Matches(Error), p.Matches(Warn), p.Matches(Info)));
    }

    [Theory]
    [InlineData("{ $.level = \"ERROR\" }", true)]
    [InlineData("{ $.level = ERR* }", true)]
    [InlineData("{ $.level != \"ERROR\" }", false)]
    [InlineData("{ $.latency > 500 && $.http.status = 503 }", true)]
    [InlineData("{ $.latency < 500 || $.tags[1] = \"b\" }", true)]
    [InlineData("{ ($.latency < 500 || $.missing = 1) && $.level = \"ERROR\" }", false)]
    public void JSON_patterns_match_JSON_messages(string pattern, bool matches)
    {
        var p = FilterPattern.Parse(pattern);

        Assert.Equal(matches, p.Matches(Json));
        Assert.False(p.Matches(Error) && pattern.Contains("latency", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"unclosed")]
    [InlineData("%unclosed")]
    [InlineData("%[%")]
    [InlineData("?ERROR WARN")]
    [InlineData("[ip, user]")]
    [InlineData("{ $.level = }")]
    [InlineData("{ level = \"ERROR\" }")]
    [InlineData("{ $.latency > high }")]
    public void Patterns_the_sandbox_cannot_read_are_refused_with_a_reason(string pattern)
    {
        var error = Assert.Throws<FormatException>(() => FilterPattern.Parse(pattern));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
