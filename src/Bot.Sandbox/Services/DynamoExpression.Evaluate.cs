using Bot.Sandbox.Account.DynamoDb;

namespace Bot.Sandbox.Services;

/// <summary>Evaluating a parsed condition against an item, with DynamoDB's rules (comparisons of different types are false).</summary>
internal sealed partial class DynamoExpression
{
    public static bool Matches(Node node, IReadOnlyDictionary<string, AttributeValue> item) => node switch
    {
        Logical { Op: "AND" } l => Matches(l.Left, item) && Matches(l.Right, item),
        Logical l => Matches(l.Left, item) || Matches(l.Right, item),
        Not n => !Matches(n.Inner, item),
        Compare c => Operand(c.Left, item) is { } a && Operand(c.Right, item) is { } b && c.Op switch
        {
            "=" => a.SameAs(b),
            "<>" => !a.SameAs(b),
            "<" => AttributeValue.Compare(a, b) < 0,
            "<=" => AttributeValue.Compare(a, b) <= 0,
            ">" => AttributeValue.Compare(a, b) > 0,
            _ => AttributeValue.Compare(a, b) >= 0,
        },
        Between b => Operand(b.Operand, item) is { } x && Operand(b.Low, item) is { } lo && Operand(b.High, item) is { } hi &&
                     AttributeValue.Compare(x, lo) >= 0 && AttributeValue.Compare(x, hi) <= 0,
        In i => Operand(i.Operand, item) is { } v && i.Options.Any(o => Operand(o, item) is { } w && v.SameAs(w)),
        Function f => Call(f, item),
        _ => false,
    };

    private static bool Call(Function f, IReadOnlyDictionary<string, AttributeValue> item)
    {
        var path = (Attr)f.Arguments[0];
        item.TryGetValue(path.Name, out var value);
        var arg = f.Arguments.Count > 1 ? Operand(f.Arguments[1], item) : null;
        return f.Name switch
        {
            "attribute_exists" => value is not null,
            "attribute_not_exists" => value is null,
            "attribute_type" => value is not null && arg?.Text == value.Type,
            "begins_with" => value is { Type: "S" or "B" } && arg is { Type: "S" or "B" } && value.Text!.StartsWith(arg.Text!, StringComparison.Ordinal),
            "contains" => value switch
            {
                { Type: "S" } when arg is { Type: "S" } => value.Text!.Contains(arg.Text!, StringComparison.Ordinal),
                { Type: "SS" or "NS" or "BS" } when arg is not null => value.Set!.Contains(arg.Text),
                { Type: "L" } when arg is not null => value.List!.Any(x => x.SameAs(arg)),
                _ => false,
            },
            _ => false,
        };
    }

    private static AttributeValue? Operand(Node node, IReadOnlyDictionary<string, AttributeValue> item) => node switch
    {
        Attr a => item.GetValueOrDefault(a.Name),
        Value v => v.Content,
        SizeOf s => item.GetValueOrDefault(s.Path.Name) is { } x ? AttributeValue.N(x.Type switch
        {
            "S" => System.Text.Encoding.UTF8.GetByteCount(x.Text!),
            "B" => Convert.FromBase64String(x.Text!).Length,
            "SS" or "NS" or "BS" => x.Set!.Count,
            "L" => x.List!.Count,
            "M" => x.Map!.Count,
            _ => 0,
        }) : null,
        _ => null,
    };
}
