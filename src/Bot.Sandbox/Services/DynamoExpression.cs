using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// DynamoDB condition expressions (KeyConditionExpression, FilterExpression) and projections: comparisons
/// (<c>= &lt;&gt; &lt; &lt;= &gt; &gt;=</c>), <c>BETWEEN</c>, <c>IN</c>, <c>AND</c>/<c>OR</c>/<c>NOT</c>, parentheses, and the functions
/// attribute_exists, attribute_not_exists, attribute_type, begins_with, contains and size, over top-level attributes named
/// directly or through <c>#name</c> placeholders, with <c>:value</c> placeholders. As in DynamoDB, a reserved word used
/// as a bare attribute name (<c>action</c>, <c>timestamp</c>, …) is a ValidationException; nested paths are not supported.
/// </summary>
internal sealed partial class DynamoExpression
{
    /// <summary>A node of a parsed condition.</summary>
    public abstract record Node;
    public sealed record Attr(string Name) : Node;
    public sealed record Value(string Placeholder, AttributeValue Content) : Node;
    public sealed record SizeOf(Attr Path) : Node;
    public sealed record Compare(string Op, Node Left, Node Right) : Node;
    public sealed record Between(Node Operand, Node Low, Node High) : Node;
    public sealed record In(Node Operand, IReadOnlyList<Node> Options) : Node;
    public sealed record Logical(string Op, Node Left, Node Right) : Node;
    public sealed record Not(Node Inner) : Node;
    public sealed record Function(string Name, IReadOnlyList<Node> Arguments) : Node;

    private readonly string _kind;
    private readonly List<string> _tokens;
    private readonly IReadOnlyDictionary<string, string> _names;
    private readonly IReadOnlyDictionary<string, AttributeValue> _values;
    private int _i;

    private DynamoExpression(string kind, string text, IReadOnlyDictionary<string, string> names, IReadOnlyDictionary<string, AttributeValue> values,
        ISet<string> usedNames, ISet<string> usedValues)
    {
        _kind = kind;
        _names = names;
        _values = values;
        UsedNames = usedNames;
        UsedValues = usedValues;
        _tokens = Tokenize(text);
    }

    private ISet<string> UsedNames { get; }
    private ISet<string> UsedValues { get; }

    /// <summary>Parses a condition; records the placeholders it used in <paramref name="usedNames"/> and <paramref name="usedValues"/>.</summary>
    public static Node Parse(string kind, string text, IReadOnlyDictionary<string, string> names, IReadOnlyDictionary<string, AttributeValue> values,
        ISet<string> usedNames, ISet<string> usedValues)
    {
        var parser = new DynamoExpression(kind, text, names, values, usedNames, usedValues);
        if (parser._tokens.Count == 0) throw Invalid($"Invalid {kind}: The expression can not be empty;");
        var node = parser.Or();
        if (parser._i < parser._tokens.Count) throw parser.Syntax();
        return node;
    }

    /// <summary>Parses a ProjectionExpression into the attribute names it keeps.</summary>
    public static IReadOnlyList<string> Projection(string text, IReadOnlyDictionary<string, string> names, ISet<string> usedNames)
    {
        var parser = new DynamoExpression("ProjectionExpression", text, names, new Dictionary<string, AttributeValue>(), usedNames, new HashSet<string>());
        var result = new List<string>();
        do
        {
            result.Add(parser.Path().Name);
        } while (parser.Accept(","));
        if (parser._i < parser._tokens.Count) throw parser.Syntax();
        return result;
    }

    private Node Or()
    {
        var left = And();
        while (AcceptWord("OR")) left = new Logical("OR", left, And());
        return left;
    }

    private Node And()
    {
        var left = NotNode();
        while (AcceptWord("AND")) left = new Logical("AND", left, NotNode());
        return left;
    }

    private Node NotNode() => AcceptWord("NOT") ? new Not(NotNode()) : Primary();

    private Node Primary()
    {
        if (Accept("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        if (Peek() is { } word && IsFunction(word) && Peek(1) == "(" && !word.Equals("size", StringComparison.OrdinalIgnoreCase))
        {
            _i += 2;
            var args = new List<Node> { Operand() };
            while (Accept(",")) args.Add(Operand());
            Expect(")");
            var name = word.ToLowerInvariant();
            if (args[0] is not Attr) throw Invalid($"Invalid {_kind}: The first argument of {name} must be an attribute path;");
            return new Function(name, args);
        }
        var left = Operand();
        if (AcceptWord("BETWEEN"))
        {
            var low = Operand();
            if (!AcceptWord("AND")) throw Syntax();
            return new Between(left, low, Operand());
        }
        if (AcceptWord("IN"))
        {
            Expect("(");
            var options = new List<Node> { Operand() };
            while (Accept(",")) options.Add(Operand());
            Expect(")");
            return new In(left, options);
        }
        var op = Peek();
        if (op is not ("=" or "<>" or "<" or "<=" or ">" or ">=")) throw Syntax();
        _i++;
        return new Compare(op, left, Operand());
    }

    private Node Operand()
    {
        var token = Peek() ?? throw Syntax();
        if (token.StartsWith(':'))
        {
            _i++;
            UsedValues.Add(token);
            return new Value(token, _values.TryGetValue(token, out var v) ? v
                : throw Invalid($"Invalid {_kind}: An expression attribute value used in expression is not defined; attribute value: {token}"));
        }
        if (token.Equals("size", StringComparison.OrdinalIgnoreCase) && Peek(1) == "(")
        {
            _i += 2;
            var path = Path();
            Expect(")");
            return new SizeOf(path);
        }
        return Path();
    }

    private Attr Path()
    {
        var token = Peek() ?? throw Syntax();
        _i++;
        string name;
        if (token.StartsWith('#'))
        {
            UsedNames.Add(token);
            name = _names.TryGetValue(token, out var n) ? n
                : throw Invalid($"Invalid {_kind}: An expression attribute name used in the document path is not defined; attribute name: {token}");
        }
        else if (char.IsAsciiLetter(token[0]) || token[0] == '_')
        {
            if (IsReserved(token)) throw Invalid($"Invalid {_kind}: Attribute name is a reserved keyword; reserved keyword: {token}");
            name = token;
        }
        else throw Syntax();
        if (Peek() is "." or "[") throw Invalid($"Invalid {_kind}: the sandbox supports top-level attributes only, not nested paths;");
        return new Attr(name);
    }

    private string? Peek(int ahead = 0) => _i + ahead < _tokens.Count ? _tokens[_i + ahead] : null;

    private bool Accept(string token)
    {
        if (Peek() != token) return false;
        _i++;
        return true;
    }

    private bool AcceptWord(string word)
    {
        if (Peek() is not { } t || !t.Equals(word, StringComparison.OrdinalIgnoreCase)) return false;
        _i++;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token)) throw Syntax();
    }

    private AwsException Syntax()
    {
        var token = Peek() ?? "<EOF>";
        var near = string.Join(" ", _tokens.Skip(Math.Max(0, _i - 1)).Take(2));
        return Invalid($"Invalid {_kind}: Syntax error; token: \"{token}\", near: \"{near}\"");
    }

    private static bool IsFunction(string word) => word.ToLowerInvariant() is "attribute_exists" or "attribute_not_exists" or "attribute_type" or "begins_with" or "contains" or "size";

    public static AwsException Invalid(string message) => new("ValidationException", message);

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '(' or ')' or ',' or '.' or '[' or ']' or '=') { tokens.Add(c.ToString()); i++; continue; }
            if (c is '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "<=" or ">=" or "<>") { tokens.Add(two); i += 2; }
                else { tokens.Add(c.ToString()); i++; }
                continue;
            }
            var start = i;
            if (c is '#' or ':') i++;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-')) i++;
            if (i == start || (i == start + 1 && c is '#' or ':'))
                throw Invalid($"Invalid expression: Syntax error; token: \"{c}\", near: \"{text[start..Math.Min(text.Length, start + 8)]}\"");
            tokens.Add(text[start..i]);
        }
        return tokens;
    }
}
