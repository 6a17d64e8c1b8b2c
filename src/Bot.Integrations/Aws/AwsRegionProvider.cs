using Amazon.Runtime;

namespace Bot.Integrations.Aws;

/// <summary>
/// The region: <see cref="AwsOptions.Region"/> if set, else AWSSDK.Core's chain
/// (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile, instance metadata), else us-east-1.
/// </summary>
public sealed class AwsRegionProvider
{
    public const string DefaultRegion = "us-east-1";
    private readonly Lazy<string> _region;

    public AwsRegionProvider(AwsOptions options)
    {
        _region = new Lazy<string>(() =>
        {
            if (!string.IsNullOrWhiteSpace(options.Region)) return options.Region.Trim();
            try
            {
                return FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? DefaultRegion;
            }
            catch (AmazonClientException)
            {
                return DefaultRegion;
            }
        });
    }

    public string Region => _region.Value;
}
