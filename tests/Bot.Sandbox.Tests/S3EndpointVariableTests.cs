using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Bot.Sandbox.Tests;

/// <summary>
/// AWSSDK.S3 finds the sandbox through <c>AWS_ENDPOINT_URL_S3</c>, as the bot can be configured. The variable is
/// process-wide, so this collection runs alone (every other test client names its ServiceURL explicitly anyway).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndpointVariableCollection
{
    public const string Name = "Endpoint variables";
}

[Collection(EndpointVariableCollection.Name)]
public sealed class S3EndpointVariableTests
{
    [Fact]
    public async Task AWS_ENDPOINT_URL_S3_points_the_SDK_at_the_sandbox()
    {
        await using var sandbox = await SandboxHttp.StartAsync(o => o.ClockSkewTolerance = null);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_S3", sandbox.Server.BaseAddress.ToString().TrimEnd('/'));
        // Were the S3 variable ever ignored, the SDK must still not leave loopback: the general one leads nowhere.
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        try
        {
            using var s3 = new AmazonS3Client(new BasicAWSCredentials(SandboxClients.AccessKey, "x"),
                new AmazonS3Config { RegionEndpoint = RegionEndpoint.USEast1, ForcePathStyle = true, MaxErrorRetry = 0 });

            var buckets = await s3.ListBucketsAsync();

            Assert.Contains("securebase-prod-reports-123456789012", buckets.Buckets.Select(b => b.BucketName));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_S3", null);
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", null);
        }
    }
}
