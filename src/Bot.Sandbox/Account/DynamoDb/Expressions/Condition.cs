namespace Bot.Sandbox.Account.DynamoDb.Expressions;

/// <summary>An item's attributes by name, as expressions see them.</summary>
internal interface IItem
{
    DynamoValue? this[string attribute] { get; }
}

/// <summary>Something a condition compares: an attribute, a <c>:value</c> or <c>size(attribute)</c>.</summary>
internal abstract record Operand
{
    public abstract DynamoValue? Evaluate(IItem item);
}

/// <summary>A top-level attribute (written plainly or as a <c>#name</c>).</summary>
internal sealed record AttributeOperand(string Name) : Operand
{
    public override DynamoValue? Evaluate(IItem item) => item[Name];
}

/// <summary>A value from <c>ExpressionAttributeValues</c>.</summary>
internal sealed record ValueOperand(string Placeholder, DynamoValue Value) : Operand
{
    public override DynamoValue? Evaluate(IItem item) => Value;
}

/// <summary><c>size(attribute)</c>: a number, or nothing when the attribute is missing or has no size.</summary>
internal sealed record SizeOperand(string Name) : Operand
{
    public override DynamoValue? Evaluate(IItem item) => item[Name]?.Size is { } n ? DynamoValue.OfNumber(n) : null;
}

/// <summary>A parsed condition, filter or key condition expression.</summary>
internal abstract record Condition
{
    public abstract bool Evaluate(IItem item);
}

internal sealed record Comparison(Operand Left, string Operator, Operand Right) : Condition
{
    public override bool Evaluate(IItem item)
    {
        var (a, b) = (Left.Evaluate(item), Right.Evaluate(item));
        if (a is null || b is null) return Operator == "<>" && !(a is null && b is null);
        if (Operator == "=") return a.Equals(b);
        if (Operator == "<>") return !a.Equals(b);
        return a.CompareTo(b) is { } c && Operator switch
        {
            "<" => c < 0,
            "<=" => c <= 0,
            ">" => c > 0,
            _ => c >= 0,
        };
    }
}

internal sealed record Between(Operand Value, Operand Low, Operand High) : Condition
{
    public override bool Evaluate(IItem item)
    {
        var (v, lo, hi) = (Value.Evaluate(item), Low.Evaluate(item), High.Evaluate(item));
        if (v is null || lo is null || hi is null) return false;
        return v.CompareTo(lo) is >= 0 && v.CompareTo(hi) is <= 0;
    }
}

internal sealed record In(Operand Value, IReadOnlyList<Operand> Candidates) : Condition
{
    public override bool Evaluate(IItem item) =>
        Value.Evaluate(item) is { } v && Candidates.Any(c => c.Evaluate(item) is { } x && v.Equals(x));
}

internal sealed record And(Condition Left, Condition Right) : Condition
{
    public override bool Evaluate(IItem item) => Left.Evaluate(item) && Right.Evaluate(item);
}

internal sealed record Or(Condition Left, Condition Right) : Condition
{
    public override bool Evaluate(IItem item) => Left.Evaluate(item) || Right.Evaluate(item);
}

internal sealed record Not(Condition Inner) : Condition
{
    public override bool Evaluate(IItem item) => !Inner.Evaluate(item);
}

/// <summary>attribute_exists, attribute_not_exists, attribute_type, begins_with and contains.</summary>
internal sealed record FunctionCall(string Name, string Attribute, Operand? Argument) : Condition
{
    public override bool Evaluate(IItem item)
    {
        var value = item[Attribute];
        var argument = Argument?.Evaluate(item);
        return Name switch
        {
            "attribute_exists" => value is not null,
            "attribute_not_exists" => value is null,
            "attribute_type" => value is not null && argument?.Type == "S" && value.Type == argument.Text,
            "begins_with" => value is not null && argument is not null && value.Type == argument.Type && value.Type is "S" or "B"
                             && value.Text!.StartsWith(argument.Text!, StringComparison.Ordinal),
            _ => Contains(value, argument),
        };
    }

    private static bool Contains(DynamoValue? value, DynamoValue? argument)
    {
        if (value is null || argument is null) return false;
        if (value.Type == "S" && argument.Type == "S") return value.Text!.Contains(argument.Text!, StringComparison.Ordinal);
        // Sets and lists: compare with the members' wire form.
        var json = System.Text.Json.JsonSerializer.SerializeToElement(value);
        var member = System.Text.Json.JsonSerializer.SerializeToElement(argument);
        var inner = json.EnumerateObject().First().Value;
        if (inner.ValueKind != System.Text.Json.JsonValueKind.Array) return false;
        var scalar = member.EnumerateObject().First().Value;
        return value.Type switch
        {
            "SS" or "NS" or "BS" => inner.EnumerateArray().Any(e => e.GetString() == scalar.ToString()),
            _ => inner.EnumerateArray().Any(e => System.Text.Json.JsonElement.DeepEquals(e, member)),
        };
    }
}
