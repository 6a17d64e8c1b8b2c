namespace Bot.Integrations.Aws;

/// <summary>
/// What the bot needs to know to reach one AWS service: the SigV4 signing name, the endpoint
/// prefix, the <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c> suffix, and a fixed signing region for global
/// services (Cost Explorer). Values from <c>fixtures/aws/protocols.md</c>.
/// </summary>
public sealed record AwsService(string Name, string SigningName, string EndpointPrefix, string EnvironmentId, string? FixedRegion = null)
{
    /// <summary>The one endpoint of a global service (IAM: <c>https://iam.amazonaws.com/</c>), when it has no regional ones.</summary>
    public string? GlobalEndpoint { get; init; }

    /// <summary>The IAM action prefix (CloudWatch signs as <c>monitoring</c> but its actions are <c>cloudwatch:…</c>).</summary>
    public string IamPrefix => SigningName == "monitoring" ? "cloudwatch" : SigningName;

    public static readonly AwsService Lambda = new("Lambda", "lambda", "lambda", "LAMBDA");
    public static readonly AwsService CloudWatch = new("CloudWatch", "monitoring", "monitoring", "CLOUDWATCH");
    public static readonly AwsService CloudWatchLogs = new("CloudWatch Logs", "logs", "logs", "CLOUDWATCH_LOGS");
    public static readonly AwsService CostExplorer = new("Cost Explorer", "ce", "ce", "COST_EXPLORER", FixedRegion: "us-east-1");
    public static readonly AwsService DynamoDb = new("DynamoDB", "dynamodb", "dynamodb", "DYNAMODB");
    public static readonly AwsService Kms = new("KMS", "kms", "kms", "KMS");
    public static readonly AwsService S3 = new("S3", "s3", "s3", "S3");
    public static readonly AwsService ApplicationAutoScaling = new("Application Auto Scaling", "application-autoscaling", "application-autoscaling", "APPLICATION_AUTO_SCALING");
    /// <summary>IAM: global, signed for us-east-1, at <c>iam.amazonaws.com</c> (the query protocol).</summary>
    public static readonly AwsService Iam = new("IAM", "iam", "iam", "IAM", FixedRegion: "us-east-1") { GlobalEndpoint = "https://iam.amazonaws.com/" };
    public static readonly AwsService SecretsManager = new("Secrets Manager", "secretsmanager", "secretsmanager", "SECRETS_MANAGER");

    public static IReadOnlyList<AwsService> All { get; } = [Lambda, CloudWatch, CloudWatchLogs, CostExplorer, DynamoDb, Kms, S3, ApplicationAutoScaling, Iam, SecretsManager];

    public string SigningRegion(string configuredRegion) => FixedRegion ?? configuredRegion;
}
