using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;

namespace Bot.Sandbox.Tests;

/// <summary>
/// The AWS SDK's own clients pointed at a sandbox on loopback, as the bot would configure them: DynamoDB by
/// <c>ServiceURL</c>, S3 by <c>ServiceURL</c> with <c>ForcePathStyle</c> (the bucket in the path). No retries, so a
/// test sees each answer as it came.
/// </summary>
internal static class SandboxClients
{
    public const string AccessKey = "AKIATESTSANDBOX00001";

    public static AmazonDynamoDBClient DynamoDb(SandboxHttp sandbox) => new(
        new BasicAWSCredentials(AccessKey, "sandbox-secret"),
        new AmazonDynamoDBConfig
        {
            ServiceURL = sandbox.Server.BaseAddress.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });

    public static AmazonS3Client S3(SandboxHttp sandbox, string accessKey = AccessKey) => new(
        new BasicAWSCredentials(accessKey, "sandbox-secret"),
        new AmazonS3Config
        {
            ServiceURL = sandbox.Server.BaseAddress.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
}
