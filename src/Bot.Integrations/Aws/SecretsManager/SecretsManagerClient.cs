using Bot.Integrations.Aws.Json;

namespace Bot.Integrations.Aws.SecretsManager;

public sealed class SecretsManagerClient(HttpClient http) : ISecretsManagerClient
{
    private const int MaxPages = 20;
    private readonly AwsJsonRpc _rpc = new(http, AwsService.SecretsManager, "1.1", "secretsmanager", AwsJson.Pascal);

    public async Task<IReadOnlyList<SecretDescription>> ListSecretsAsync(string namePrefix, CancellationToken cancellationToken)
    {
        var secrets = new List<SecretDescription>();
        var request = new ListSecretsRequest { Filters = [new SecretFilter("name", [namePrefix])], MaxResults = 100, SortOrder = "asc" };
        var next = request;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await _rpc.CallAsync<ListSecretsRequest, ListSecretsResponse>("ListSecrets", next, cancellationToken);
            // The name filter is a prefix match; keep only what really starts with it.
            secrets.AddRange(response.SecretList.Where(s => s.Name?.StartsWith(namePrefix, StringComparison.Ordinal) == true));
            if (string.IsNullOrEmpty(response.NextToken)) break;
            next = request with { NextToken = response.NextToken };
        }
        return secrets.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public Task<SecretDescription> DescribeSecretAsync(string secretId, CancellationToken cancellationToken) =>
        _rpc.CallAsync<SecretIdRequest, SecretDescription>("DescribeSecret", new SecretIdRequest(secretId), cancellationToken);

    public Task<RotateSecretResponse> RotateSecretAsync(string secretId, string clientRequestToken, CancellationToken cancellationToken) =>
        _rpc.CallAsync<RotateSecretRequest, RotateSecretResponse>("RotateSecret",
            new RotateSecretRequest { SecretId = secretId, ClientRequestToken = clientRequestToken, RotateImmediately = true }, cancellationToken);
}
