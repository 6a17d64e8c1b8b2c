using Bot.Workflows;
using Bot.Workflows.Changes.Sealing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Integrations.Aws.Kms;

public static class KmsServiceCollectionExtensions
{
    /// <summary>The setting naming the KMS key that wraps the data keys of changes' secret values.</summary>
    public const string KmsKeySetting = "Changes:SecretsKmsKeyId";

    /// <summary>
    /// Where the data keys of sealed values come from, chosen once: KMS when <c>Changes__SecretsKmsKeyId</c> is set; else a
    /// key file beside the SQLite store (the shell, one instance); else (DynamoDB shared by instances, no KMS key) none,
    /// and a change with a secret value is refused with the reason.
    /// </summary>
    public static IServiceCollection AddChangeSecretKeys(this IServiceCollection services)
    {
        services.TryAddSingleton<IKmsClient>(sp => new KmsClient(sp.GetRequiredService<AwsOptions>(), sp.GetRequiredService<AwsRegionProvider>(),
            sp.GetRequiredService<AwsEndpointResolver>(), sp.GetRequiredService<IAwsCredentialsProvider>(), sp.GetService<IAwsEndpointOverride>()));
        services.TryAddSingleton<IDataKeys>(sp =>
        {
            if (sp.GetRequiredService<IConfiguration>()[KmsKeySetting] is { Length: > 0 } keyId) return new KmsDataKeys(sp.GetRequiredService<IKmsClient>(), keyId.Trim());
            var store = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            return store.IsSqlite ? new KeyFileDataKeys(KeyFileDataKeys.PathFor(store.ResolvedSqlitePath)) : new NoDataKeys();
        });
        return services;
    }
}
