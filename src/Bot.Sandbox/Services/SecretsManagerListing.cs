using System.Text;
using Bot.Sandbox.Account.Secrets;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// ListSecrets: Filters (name, tag-key and tag-value are case-sensitive prefixes, description a case-insensitive
/// prefix, all a case-insensitive word match; a leading <c>!</c> negates; values of one filter are ORed, filters
/// ANDed), SortOrder by creation date (newest first by default), MaxResults 1–100 and NextToken.
/// </summary>
internal static class SecretsManagerListing
{
    private static readonly HashSet<string> Keys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];

    public static object ListSecrets(IReadOnlyList<SandboxSecret> all, JsonInput input)
    {
        var max = input.Int("MaxResults") ?? 100;
        if (max is < 1 or > 100) throw new AwsException("InvalidParameterException", "MaxResults must be between 1 and 100.");
        var sort = input.String("SortOrder") ?? "desc";
        if (sort is not ("asc" or "desc")) throw new AwsException("InvalidParameterException", $"Invalid SortOrder: {sort}.");
        var filters = input.Objects("Filters").Select(f =>
        {
            var key = f.String("Key") ?? throw new AwsException("InvalidParameterException", "A filter needs a Key.");
            if (!Keys.Contains(key)) throw new AwsException("InvalidParameterException", $"Invalid filter key: {key}.");
            var values = f.Strings("Values");
            if (values.Count == 0) throw new AwsException("InvalidParameterException", "A filter needs at least one value.");
            return (Key: key, Values: values);
        }).ToList();
        var offset = 0;
        if (input.String("NextToken") is { } token && !TryRead(token, out offset))
            throw new AwsException("InvalidNextTokenException", "The NextToken value is not valid.");

        var matching = all.Where(s => filters.All(f => f.Values.Any(v => Matches(s, f.Key, v))));
        var ordered = (sort == "asc" ? matching.OrderBy(s => s.Created) : matching.OrderByDescending(s => s.Created)).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        var page = ordered.Skip(offset).Take(max).ToList();
        return new
        {
            SecretList = page.Select(s => new
            {
                ARN = s.Arn,
                s.Name,
                s.Description,
                s.KmsKeyId,
                s.RotationEnabled,
                RotationLambdaARN = s.RotationLambdaArn,
                RotationRules = SecretsManagerService.Rules(s),
                LastRotatedDate = SecretsManagerService.Epoch(s.LastRotated),
                LastChangedDate = SecretsManagerService.Epoch(s.LastChanged),
                LastAccessedDate = SecretsManagerService.Epoch(s.LastAccessed),
                Tags = s.Tags.Select(t => new { t.Key, t.Value }).ToList(),
                SecretVersionsToStages = s.Versions.ToDictionary(v => v.VersionId, v => v.Stages),
                CreatedDate = SecretsManagerService.Epoch(s.Created),
                NextRotationDate = SecretsManagerService.Epoch(s.NextRotation),
            }).ToList(),
            NextToken = offset + page.Count < ordered.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"secrets:{offset + page.Count}")) : null,
        };
    }

    private static bool Matches(SandboxSecret s, string key, string value)
    {
        var negate = value.StartsWith('!');
        var v = negate ? value[1..] : value;
        var hit = key switch
        {
            "name" => s.Name.StartsWith(v, StringComparison.Ordinal),
            "description" => s.Description.StartsWith(v, StringComparison.OrdinalIgnoreCase),
            "tag-key" => s.Tags.Any(t => t.Key.StartsWith(v, StringComparison.Ordinal)),
            "tag-value" => s.Tags.Any(t => t.Value.StartsWith(v, StringComparison.Ordinal)),
            "all" => new[] { s.Name, s.Description }.Concat(s.Tags.SelectMany(t => new[] { t.Key, t.Value }))
                .SelectMany(text => text.Split([' ', '-', '_', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
                .Any(word => word.StartsWith(v, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
        return hit != negate;
    }

    private static bool TryRead(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("secrets:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(8), out offset) && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
