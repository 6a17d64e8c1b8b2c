using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb.Expressions;

/// <summary>
/// A Query's KeyConditionExpression taken apart: the partition key's value and, optionally, a condition on the sort
/// key (<c>= &lt; &lt;= &gt; &gt;=</c>, BETWEEN or begins_with). Anything else is refused as DynamoDB refuses it.
/// </summary>
internal sealed record KeyCondition(string HashAttribute, DynamoValue HashValue, Condition? RangeCondition)
{
    private const string Kind = "KeyConditionExpression";

    public static KeyCondition Parse(string text, string hashKey, string? rangeKey, ExpressionAttributes attributes)
    {
        var condition = ExpressionParser.Parse(text, Kind, attributes);
        var parts = new List<Condition>();
        Flatten(condition, parts);
        DynamoValue? hash = null;
        Condition? range = null;
        var namesHash = parts.Any(p => p is Comparison { Left: AttributeOperand a, Operator: "=" } && a.Name == hashKey);
        foreach (var part in parts)
        {
            switch (part)
            {
                case Comparison { Left: AttributeOperand a, Operator: "=", Right: ValueOperand v } when a.Name == hashKey && hash is null:
                    hash = v.Value;
                    break;
                case Comparison { Left: AttributeOperand a, Right: ValueOperand, Operator: not "<>" } when a.Name == rangeKey && range is null:
                case Between { Value: AttributeOperand b, Low: ValueOperand, High: ValueOperand } when b.Name == rangeKey && range is null:
                case FunctionCall { Name: "begins_with", Argument: ValueOperand } f when f.Attribute == rangeKey && range is null:
                    range = part;
                    break;
                case Comparison { Left: AttributeOperand a } when a.Name != hashKey && a.Name != rangeKey:
                case Between { Value: AttributeOperand b } when b.Name != hashKey && b.Name != rangeKey:
                case FunctionCall f when f.Attribute != hashKey && f.Attribute != rangeKey:
                    throw Missed(namesHash ? rangeKey ?? hashKey : hashKey);
                default:
                    throw Invalid("Query key condition not supported");
            }
        }
        if (hash is null) throw Missed(hashKey);
        return new KeyCondition(hashKey, hash, range);
    }

    private static void Flatten(Condition condition, List<Condition> parts)
    {
        if (condition is And and)
        {
            Flatten(and.Left, parts);
            Flatten(and.Right, parts);
        }
        else parts.Add(condition);
        if (parts.Count > 2) throw Invalid("Conditions can be of length 1 or 2 only");
    }

    /// <summary>DynamoDB words this one without the "Invalid KeyConditionExpression:" prefix.</summary>
    private static AwsException Missed(string element) => new("ValidationException", $"Query condition missed key schema element: {element}");

    private static AwsException Invalid(string message) => new("ValidationException", $"Invalid {Kind}: {message}");
}
