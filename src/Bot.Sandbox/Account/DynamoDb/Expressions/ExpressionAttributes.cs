using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb.Expressions;

/// <summary>
/// A request's <c>ExpressionAttributeNames</c> and <c>ExpressionAttributeValues</c>, and which of them the request's
/// expressions used. DynamoDB refuses a request that defines a placeholder no expression uses, so after parsing
/// every expression of a request call <see cref="CheckAllUsed"/>.
/// </summary>
internal sealed class ExpressionAttributes(IReadOnlyDictionary<string, string> names, IReadOnlyDictionary<string, DynamoValue> values)
{
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedValues = new(StringComparer.Ordinal);

    /// <summary>The attribute a <c>#name</c> stands for.</summary>
    public string Name(string placeholder, string expressionKind)
    {
        if (!names.TryGetValue(placeholder, out var name))
            throw new AwsException("ValidationException",
                $"Invalid {expressionKind}: An expression attribute name used in the document path is not defined; attribute name: {placeholder}");
        _usedNames.Add(placeholder);
        return name;
    }

    /// <summary>The value a <c>:value</c> stands for.</summary>
    public DynamoValue Value(string placeholder, string expressionKind)
    {
        if (!values.TryGetValue(placeholder, out var value))
            throw new AwsException("ValidationException",
                $"Invalid {expressionKind}: An expression attribute value used in expression is not defined; attribute value: {placeholder}");
        _usedValues.Add(placeholder);
        return value;
    }

    /// <summary>Refuses definitions no expression used, with DynamoDB's message.</summary>
    public void CheckAllUsed()
    {
        var unusedValues = values.Keys.Where(k => !_usedValues.Contains(k)).ToList();
        if (unusedValues.Count > 0)
            throw new AwsException("ValidationException", $"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", unusedValues)}}}");
        var unusedNames = names.Keys.Where(k => !_usedNames.Contains(k)).ToList();
        if (unusedNames.Count > 0)
            throw new AwsException("ValidationException", $"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", unusedNames)}}}");
    }
}
