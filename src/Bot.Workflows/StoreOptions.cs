using System.ComponentModel.DataAnnotations;

namespace Bot.Workflows;

/// <summary>Configuration section <c>Store</c>: where workflows, timers, the outbox and the audit log live.</summary>
public sealed class StoreOptions : IValidatableObject
{
    public const string Section = "Store";

    /// <summary><c>sqlite</c> (default, embedded) or <c>dynamodb</c> (several instances).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>The SQLite file (default: <c>securebase-bot/bot.db</c> under the user's local data folder).</summary>
    public string? SqlitePath { get; set; }

    /// <summary>The single DynamoDB table (<c>Store__DynamoDbTable</c>).</summary>
    public string? DynamoDbTable { get; set; }

    /// <summary>Create the DynamoDB table on first start when it is missing.</summary>
    public bool CreateTable { get; set; }

    public bool IsSqlite => string.Equals(Provider, "sqlite", StringComparison.OrdinalIgnoreCase);
    public bool IsDynamoDb => string.Equals(Provider, "dynamodb", StringComparison.OrdinalIgnoreCase);

    public string ResolvedSqlitePath => string.IsNullOrWhiteSpace(SqlitePath)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "securebase-bot", "bot.db")
        : SqlitePath;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsSqlite && !IsDynamoDb)
            yield return new ValidationResult($"Store__Provider must be 'sqlite' or 'dynamodb' (was '{Provider}').", [nameof(Provider)]);
        if (IsDynamoDb && string.IsNullOrWhiteSpace(DynamoDbTable))
            yield return new ValidationResult("Store__DynamoDbTable is required when Store__Provider is 'dynamodb'.", [nameof(DynamoDbTable)]);
        if (IsDynamoDb && DynamoDbTable is { Length: > 0 } t && (t.Length < 3 || t.Length > 255 || t.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))))
            yield return new ValidationResult($"Store__DynamoDbTable '{t}' is not a valid table name (3–255 of a-z A-Z 0-9 _ - .).", [nameof(DynamoDbTable)]);
    }
}
