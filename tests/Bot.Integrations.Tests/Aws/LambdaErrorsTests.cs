using Bot.Testing.Aws;
using System.Net;
using System.Text.Json;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.Lambda;
using Bot.Testing;

namespace Bot.Integrations.Tests.Aws;

/// <summary>Lambda's modeled errors, as they come over the wire, become typed errors the workflow can explain.</summary>
public sealed class LambdaErrorsTests
{
    /// <summary>Every error the service model lists for the Lambda operations the bot calls.</summary>
    public static TheoryData<string> ModeledLambdaErrors()
    {
        using var facts = JsonDocument.Parse(Fixtures.ReadText("aws/service-model-facts.json"));
        var codes = facts.RootElement.GetProperty("services").GetProperty("lambda").GetProperty("operations").EnumerateObject()
            .SelectMany(op => op.Value.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!))
            .Distinct().Order(StringComparer.Ordinal);
        return [.. codes];
    }

    /// <summary>Errors that mean a broken deployment package or a service limit: the change cannot go on, whatever is retried.</summary>
    private static readonly HashSet<string> Terminal =
    [
        "CodeStorageExceededException", "FunctionVersionsPerCapacityProviderLimitExceededException",
        "InvalidCodeSignatureException", "CodeVerificationFailedException", "CodeSigningConfigNotFoundException",
    ];

    [Theory]
    [MemberData(nameof(ModeledLambdaErrors))]
    public void Every_modeled_Lambda_error_is_classified_and_explained(string code)
    {
        var error = AwsErrorParser.Parse(AwsService.Lambda, HttpStatusCode.BadRequest, null, code + ":http://internal.amazon.com/", "r-1",
            """{"Type":"User","message":"something"}""", "PublishVersion");

        Assert.Equal(code, error.Code);
        if (!Terminal.Contains(code)) Assert.NotEqual(AwsErrorKind.Other, error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(LambdaErrors.Explain(error)));
    }

    [Fact]
    public void Throttling_keeps_Lambdas_reason_and_explains_it()
    {
        var error = AwsErrorParser.Parse(AwsService.Lambda, HttpStatusCode.TooManyRequests, null, "TooManyRequestsException", null,
            """{"Type":"User","message":"Rate Exceeded.","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}""", "Invoke");

        Assert.Equal("Rate Exceeded.", error.AwsMessage);
        Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", error.Reason);
        Assert.Equal("lambda:InvokeFunction", error.IamAction);
        Assert.Equal("Lambda is throttling (ReservedFunctionConcurrentInvocationLimitExceeded)", LambdaErrors.Explain(error));
    }

    [Theory]
    [InlineData("Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn", LambdaMissingKind.Function, null)]
    [InlineData("Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:12", LambdaMissingKind.Version, "12")]
    [InlineData("Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:LIVE", LambdaMissingKind.Alias, "LIVE")]
    [InlineData("Alias not found: arn:aws:lambda:eu-west-1:123456789012:function:fn:PROD", LambdaMissingKind.Alias, "PROD")]
    public void The_missing_resource_is_read_from_the_ARN_in_Lambdas_message(string message, LambdaMissingKind kind, string? qualifier)
    {
        var error = new AwsServiceException("Lambda", "ResourceNotFoundException", message, HttpStatusCode.NotFound, null);

        Assert.Equal(new LambdaMissing(kind, "fn", qualifier), LambdaErrors.Missing(error));
    }
}
