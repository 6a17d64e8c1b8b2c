using Bot.Testing.Aws;
using System.Net;
using System.Text.Json;
using Bot.Integrations.Aws;
using Bot.Testing;

namespace Bot.Integrations.Tests.Aws;

/// <summary>The error-parsing cases of botocore's JSON 1.0 protocol tests, run through our parser.</summary>
public sealed class AwsErrorParserTests
{
    public static TheoryData<string, string> ErrorCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in new[] { "aws/protocol-tests/botocore.output.json_1_0.json", "aws/protocol-tests/botocore.output.json_1_0-query-compatible.json" })
        {
            using var doc = JsonDocument.Parse(Fixtures.ReadText(file));
            foreach (var suite in doc.RootElement.EnumerateArray())
                foreach (var c in suite.GetProperty("cases").EnumerateArray())
                    if (c.TryGetProperty("errorCode", out _)) data.Add(file, c.GetProperty("id").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task Error_code_and_message_are_read_as_the_protocol_tests_expect(string file, string id)
    {
        using var doc = JsonDocument.Parse(Fixtures.ReadText(file));
        var c = doc.RootElement.EnumerateArray().SelectMany(s => s.GetProperty("cases").EnumerateArray()).Single(x => x.GetProperty("id").GetString() == id);
        var r = c.GetProperty("response");
        using var response = new HttpResponseMessage((HttpStatusCode)r.GetProperty("status_code").GetInt32())
        {
            Content = new StringContent(r.TryGetProperty("body", out var body) ? body.GetString()! : ""),
        };
        foreach (var h in r.GetProperty("headers").EnumerateObject())
            if (!h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) response.Headers.TryAddWithoutValidation(h.Name, h.Value.GetString());

        var error = await AwsErrorParser.ParseAsync(AwsService.CloudWatch, response, default);

        Assert.Equal(c.GetProperty("errorCode").GetString(), error.Code);
        if (c.TryGetProperty("errorMessage", out var message)) Assert.Equal(message.GetString(), error.AwsMessage);
    }

    [Theory]
    [InlineData("ThrottlingException", 400, AwsErrorKind.Throttled)]
    [InlineData("ProvisionedThroughputExceededException", 400, AwsErrorKind.Throttled)]
    [InlineData("AccessDeniedException", 400, AwsErrorKind.AccessDenied)]
    [InlineData("ExpiredTokenException", 400, AwsErrorKind.ExpiredCredentials)]
    [InlineData("UnrecognizedClientException", 400, AwsErrorKind.InvalidCredentials)]
    [InlineData("ResourceNotFoundException", 404, AwsErrorKind.NotFound)]
    [InlineData("Http502", 502, AwsErrorKind.ServiceUnavailable)]
    [InlineData("PreconditionFailedException", 412, AwsErrorKind.PreconditionFailed)]
    [InlineData("Http412", 412, AwsErrorKind.PreconditionFailed)]
    [InlineData("ResourceConflictException", 409, AwsErrorKind.Conflict)]
    [InlineData("Http409", 409, AwsErrorKind.Conflict)]
    [InlineData("TooManyRequestsException", 429, AwsErrorKind.Throttled)]
    [InlineData("ProvisionedConcurrencyConfigNotFoundException", 404, AwsErrorKind.NotFound)]
    [InlineData("InvalidParameterValueException", 400, AwsErrorKind.InvalidRequest)]
    [InlineData("InvalidRequestContentException", 400, AwsErrorKind.InvalidRequest)]
    [InlineData("AccessDeniedException", 403, AwsErrorKind.AccessDenied)]
    [InlineData("ServiceException", 500, AwsErrorKind.ServiceUnavailable)]
    public void Error_codes_are_classified(string code, int status, AwsErrorKind kind) =>
        Assert.Equal(kind, AwsServiceException.Classify(code, (HttpStatusCode)status));

    [Fact]
    public void A_non_JSON_error_page_falls_back_to_the_status()
    {
        var error = AwsErrorParser.Parse(AwsService.Lambda, HttpStatusCode.BadGateway, null, null, null, "<html>Bad gateway</html>");
        Assert.Equal("Http502", error.Code);
        Assert.Equal(AwsErrorKind.ServiceUnavailable, error.Kind);
    }

    [Fact]
    public void A_query_protocol_error_is_read_from_its_XML_ErrorResponse()
    {
        const string body = """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
              <RequestId>4f2b7a1e-0000-4000-8000-000000000001</RequestId>
            </ErrorResponse>
            """;

        var error = AwsErrorParser.Parse(AwsService.Iam, HttpStatusCode.BadRequest, null, null, null, body, "GetRole");

        Assert.Equal(("Throttling", "Rate exceeded", "4f2b7a1e-0000-4000-8000-000000000001"), (error.Code, error.AwsMessage, error.RequestId));
        Assert.Equal(AwsErrorKind.Throttled, error.Kind);
        Assert.Equal("iam:GetRole", error.IamAction);
        Assert.True(AwsServiceException.IsRetryable(error.Code, error.StatusCode));
    }

    [Fact]
    public void XML_that_declares_a_document_type_is_not_read()
    {
        const string body = """<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x "boom">]><ErrorResponse><Error><Code>&x;</Code></Error></ErrorResponse>""";

        var error = AwsErrorParser.Parse(AwsService.Iam, HttpStatusCode.BadRequest, null, null, null, body);

        Assert.Equal("Http400", error.Code);
    }
}
