using Bot.Sandbox.Account.Logs;
using Bot.Sandbox.Protocols;
using Bot.Sandbox.Services;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Sandbox.Tests;

/// <summary>
/// What the sandbox account reads from its clients — log filter patterns (plain and JSON), Logs Insights queries, metric
/// math, JSON request bodies — whatever the text: read, or refused with the error the sandbox answers as AWS would
/// (<see cref="FormatException"/> for the logs' patterns and queries, <see cref="AwsException"/> for the rest), never another.
/// </summary>
public sealed class SandboxParserPropertyTests
{
    private static readonly string[] FilterPieces = ["ERROR", "\"a phrase\"", "?alt", "-not", "%[a-z]+%", "%(%", "{ $.level = \"ERROR\" }", "{ $.a[99999999999] = 1 }",
        "{ $.n > 5 }", "{ ($.a = 1) && ($.b != \"x\") }", "{ $.x[٣] = 1 }", "{", "}", "(", "\"", "%", "&&", "||", "$.", "[", "]", " "];

    private static readonly string[] QueryPieces = ["fields @timestamp, @message", "filter @message like /ERROR/", "sort @timestamp desc", "limit 20", "limit 99999999999",
        "stats count(*) by bin(5m)", "stats avg(@duration) by bin(٣m)", "display @message", "parse @message", "|", "/", "\"", "(", ")", "like", "and", "not", "ispresent(@x)", " "];

    private static readonly string[] MetricPieces = ["m1", "m2", "100", "*", "/", "+", "-", "(", ")", "1e309", "SUM(m1)", "٣", " ", "0.5", "m_x"];

    private static Gen<string> Text(string[] pieces) => Gen.OneOf(
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get),
        Gen.ArrayOf(Gen.Elements(pieces)).Select(parts => string.Concat(parts)),
        Gen.ArrayOf(Gen.Elements(pieces)).Select(parts => string.Join(' ', parts)));

    private static bool Refuses<TDocumented>(Action parse) where TDocumented : Exception
    {
        try
        {
            parse();
        }
        catch (TDocumented)
        {
        }
        return true;
    }

    [Property(MaxTest = 1000)]
    public Property Any_filter_pattern_is_read_or_refused_with_a_format_error() =>
        Prop.ForAll(Text(FilterPieces).ToArbitrary(), text => Refuses<FormatException>(() => FilterPattern.Parse(text).Matches("{\"level\":\"ERROR\",\"a\":[1],\"n\":7} ERROR x")));

    [Property(MaxTest = 1000)]
    public Property Any_json_filter_pattern_is_read_or_refused_with_a_format_error() =>
        Prop.ForAll(Text(FilterPieces).Select(t => "{ " + t + " }").ToArbitrary(), text => Refuses<FormatException>(() => JsonFilterPattern.Parse(text)("{\"level\":\"ERROR\",\"a\":[1,2],\"n\":7}")));

    [Property(MaxTest = 1000)]
    public Property Any_insights_query_is_read_or_refused_with_a_format_error() =>
        Prop.ForAll(Text(QueryPieces).ToArbitrary(), text => Refuses<FormatException>(() => InsightsQuery.Parse(text)));

    [Property(MaxTest = 1000)]
    public Property Any_metric_math_is_read_or_refused_as_AWS_would() =>
        Prop.ForAll(Text(MetricPieces).ToArbitrary(), text => Refuses<AwsException>(() => MetricExpression.Parse(text, out _)(id => id == "m1" ? 2 : 0)));

    [Property(MaxTest = 500)]
    public bool Any_request_body_is_read_or_refused_as_AWS_would(byte[] body) =>
        Refuses<AwsException>(() => JsonInput.Parse(body, "ValidationException"));
}
