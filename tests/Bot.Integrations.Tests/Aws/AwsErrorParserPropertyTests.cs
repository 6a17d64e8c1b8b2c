using Bot.Testing.Aws;
using Bot.Testing;
using System.Net;
using System.Text.Json;
using Bot.Integrations.Aws;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Integrations.Tests.Aws;

/// <summary>
/// AWS's error answers read into an exception whatever they hold (a proxy's HTML page, JSON of any shape, odd headers):
/// always a code and a message, the code AWS named when it named one, and a kind that follows from the code and status.
/// </summary>
public sealed class AwsErrorParserPropertyTests
{
    private static readonly AwsService[] Services = [AwsService.Lambda, AwsService.CloudWatch, AwsService.CloudWatchLogs, AwsService.CostExplorer, AwsService.DynamoDb];
    private static readonly string[] Codes = ["ThrottlingException", "ExpiredTokenException", "AccessDeniedException", "ResourceNotFoundException", "ValidationException", "InternalFailure"];

    private static Gen<string?> Maybe(Gen<string> gen) => Gen.Frequency((2, Gen.Constant<string?>(null)), (3, gen.Select(s => (string?)s)));

    private static Gen<string> Anything() => ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get);

    private static Gen<string> Bodies() => Gen.OneOf(
        Anything(),
        Gen.Elements("", "<html><body>502 Bad Gateway</body></html>", "null", "[]", "{}", "{\"__type\":1}", "{\"message\":{}}", "{"),
        from field in Gen.Elements("__type", "code", "Code", "message", "Message", "errorMessage", "Reason")
        from value in Gen.OneOf(Anything().Select(v => JsonSerializer.Serialize(v)), Gen.Elements("null", "1", "[]", "{}", "true"))
        from code in Gen.Elements(Codes)
        select $"{{\"__type\":\"com.amazonaws.x#{code}\",\"{field}\":{value}}}");

    [Property(MaxTest = 1000)]
    public Property Any_answer_is_read_into_a_code_a_message_and_a_kind() =>
        Prop.ForAll(
            (from service in Gen.Elements(Services)
             from status in Gen.Choose(100, 599)
             from queryError in Maybe(Anything())
             from errorType in Maybe(Anything())
             from body in Bodies()
             select (service, status, queryError, errorType, body)).ToArbitrary(),
            a =>
            {
                var e = AwsErrorParser.Parse(a.service, (HttpStatusCode)a.status, a.queryError, a.errorType, null, a.body, "UpdateAlias");
                return e.Code.Length > 0 && e.Code == e.Code.Trim() && e.AwsMessage is not null
                    && e.Kind == AwsServiceException.Classify(e.Code, e.StatusCode) && e.IamAction == $"{a.service.IamPrefix}:UpdateAlias";
            });

    [Property(MaxTest = 300)]
    public Property The_code_AWS_names_is_the_code_read() =>
        Prop.ForAll(Gen.Elements(Codes).ToArbitrary(), Gen.Elements("x-amzn-query-error", "x-amzn-ErrorType", "__type", "code").ToArbitrary(), (code, where) =>
        {
            var e = where switch
            {
                "x-amzn-query-error" => AwsErrorParser.Parse(AwsService.CloudWatch, HttpStatusCode.BadRequest, code + ";Sender", null, null, ""),
                "x-amzn-ErrorType" => AwsErrorParser.Parse(AwsService.Lambda, HttpStatusCode.BadRequest, null, code + ":http://internal.amazon.com/coral/", null, "{}"),
                "__type" => AwsErrorParser.Parse(AwsService.DynamoDb, HttpStatusCode.BadRequest, null, null, null, $"{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{code}\"}}"),
                _ => AwsErrorParser.Parse(AwsService.CostExplorer, HttpStatusCode.BadRequest, null, null, null, $"{{\"code\":\"{code}\"}}"),
            };
            return e.Code == code;
        });
}
