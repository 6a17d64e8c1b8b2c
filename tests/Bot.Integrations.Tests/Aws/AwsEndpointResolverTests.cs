using Bot.Testing.Aws;
using Bot.Testing;
using Bot.Integrations.Aws;

namespace Bot.Integrations.Tests.Aws;

public sealed class AwsEndpointResolverTests
{
    private static AwsEndpointResolver Resolver(Dictionary<string, string?> variables, AwsOptions? options = null)
    {
        options ??= new AwsOptions { Region = "eu-west-1" };
        return new AwsEndpointResolver(name => variables.GetValueOrDefault(name), options, new AwsRegionProvider(options));
    }

    [Fact]
    public void Without_overrides_each_service_gets_its_public_regional_endpoint()
    {
        var resolver = Resolver([]);
        Assert.Equal("https://lambda.eu-west-1.amazonaws.com/", resolver.Resolve(AwsService.Lambda).ToString());
        Assert.Equal("https://monitoring.eu-west-1.amazonaws.com/", resolver.Resolve(AwsService.CloudWatch).ToString());
        Assert.Equal("https://logs.eu-west-1.amazonaws.com/", resolver.Resolve(AwsService.CloudWatchLogs).ToString());
        Assert.Equal("https://dynamodb.eu-west-1.amazonaws.com/", resolver.Resolve(AwsService.DynamoDb).ToString());
    }

    [Fact]
    public void Cost_Explorer_is_always_us_east_1()
    {
        Assert.Equal("https://ce.us-east-1.amazonaws.com/", Resolver([]).Resolve(AwsService.CostExplorer).ToString());
        Assert.Equal("us-east-1", AwsService.CostExplorer.SigningRegion("eu-west-1"));
    }

    [Fact]
    public void The_service_specific_variable_wins_over_the_global_one_which_wins_over_configuration()
    {
        var resolver = Resolver(new()
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566",
            ["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = "http://127.0.0.1:4599",
        }, new AwsOptions { Region = "eu-west-1", EndpointUrl = "http://127.0.0.1:1111" });

        Assert.Equal("http://127.0.0.1:4599/", resolver.Resolve(AwsService.CloudWatchLogs).ToString());
        Assert.Equal("http://127.0.0.1:4566/", resolver.Resolve(AwsService.Lambda).ToString());
        Assert.Equal("http://127.0.0.1:1111/", Resolver([], new AwsOptions { EndpointUrl = "http://127.0.0.1:1111" }).Resolve(AwsService.CostExplorer).ToString());
    }

    [Theory]
    [InlineData("AWS_ENDPOINT_URL_LAMBDA", "LAMBDA")]
    [InlineData("AWS_ENDPOINT_URL_CLOUDWATCH", "CLOUDWATCH")]
    [InlineData("AWS_ENDPOINT_URL_COST_EXPLORER", "COST_EXPLORER")]
    [InlineData("AWS_ENDPOINT_URL_DYNAMODB", "DYNAMODB")]
    public void Each_service_reads_its_own_variable(string variable, string id)
    {
        var service = AwsService.All.Single(s => s.EnvironmentId == id);
        Assert.Equal("http://127.0.0.1:9000/", Resolver(new() { [variable] = "http://127.0.0.1:9000" }).Resolve(service).ToString());
    }

    [Fact]
    public void A_malformed_endpoint_is_refused_with_the_service_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolver(new() { ["AWS_ENDPOINT_URL"] = "ftp://nope" }).Resolve(AwsService.Lambda));
        Assert.Contains("Lambda", error.Message);
    }
}
