using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb.Expressions;

/// <summary>
/// Parses DynamoDB condition, filter and key condition expressions: comparisons (<c>= &lt;&gt; &lt; &lt;= &gt; &gt;=</c>),
/// <c>BETWEEN … AND …</c>, <c>IN (…)</c>, <c>AND</c>/<c>OR</c>/<c>NOT</c>, parentheses, the functions
/// attribute_exists, attribute_not_exists, attribute_type, begins_with, contains and size, <c>#name</c> and
/// <c>:value</c> placeholders. Attributes are top-level (document paths with <c>.</c> or <c>[n]</c> are refused).
/// Errors are ValidationExceptions worded as DynamoDB words them.
/// </summary>
internal sealed class ExpressionParser
{
    private static readonly HashSet<string> BooleanFunctions = ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"];

    private readonly string _text;
    private readonly string _kind;
    private readonly ExpressionAttributes _attributes;
    private readonly List<string> _tokens;
    private int _at;

    private ExpressionParser(string text, string kind, ExpressionAttributes attributes)
    {
        _text = text;
        _kind = kind;
        _attributes = attributes;
        _tokens = Tokenize(text);
    }

    /// <summary>Parses a condition; <paramref name="kind"/> names it in errors (e.g. <c>FilterExpression</c>).</summary>
    public static Condition Parse(string text, string kind, ExpressionAttributes attributes)
    {
        var parser = new ExpressionParser(text, kind, attributes);
        if (parser._tokens.Count == 0) throw new AwsException("ValidationException", $"Invalid {kind}: The expression can not be empty;");
        var condition = parser.ParseOr();
        if (parser._at < parser._tokens.Count) throw parser.Syntax();
        return condition;
    }

    /// <summary>A ProjectionExpression: the attributes to return.</summary>
    public static IReadOnlyList<string> ParseProjection(string text, ExpressionAttributes attributes)
    {
        var parser = new ExpressionParser(text, "ProjectionExpression", attributes);
        var names = new List<string>();
        do names.Add(parser.Attribute(parser.Next()));
        while (parser.TryTake(","));
        if (parser._at < parser._tokens.Count) throw parser.Syntax();
        return names;
    }

    private Condition ParseOr()
    {
        var left = ParseAnd();
        while (TryTakeKeyword("OR")) left = new Or(left, ParseAnd());
        return left;
    }

    private Condition ParseAnd()
    {
        var left = ParseNot();
        while (TryTakeKeyword("AND")) left = new And(left, ParseNot());
        return left;
    }

    private Condition ParseNot() => TryTakeKeyword("NOT") ? new Not(ParseNot()) : ParsePrimary();

    private Condition ParsePrimary()
    {
        if (TryTake("("))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }
        if (BooleanFunctions.Contains(Peek() ?? "") && PeekAt(1) == "(") return ParseFunction();

        var left = ParseOperand();
        if (TryTakeKeyword("BETWEEN"))
        {
            var low = ParseOperand();
            if (!TryTakeKeyword("AND")) throw Syntax();
            var high = ParseOperand();
            if (low is ValueOperand lo && high is ValueOperand hi && lo.Value.CompareTo(hi.Value) > 0)
                throw new AwsException("ValidationException", $"Invalid {_kind}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {{{lo.Value}}}, upper bound operand: AttributeValue: {{{hi.Value}}}");
            return new Between(left, low, high);
        }
        if (TryTakeKeyword("IN"))
        {
            Expect("(");
            var candidates = new List<Operand> { ParseOperand() };
            while (TryTake(",")) candidates.Add(ParseOperand());
            Expect(")");
            return new In(left, candidates);
        }
        var op = Next();
        if (op is not ("=" or "<>" or "<" or "<=" or ">" or ">=")) throw Syntax(op);
        return new Comparison(left, op, ParseOperand());
    }

    private FunctionCall ParseFunction()
    {
        var name = Next();
        Expect("(");
        var attribute = Attribute(Next());
        Operand? argument = null;
        if (name is "attribute_type" or "begins_with" or "contains")
        {
            Expect(",");
            argument = ParseOperand();
        }
        Expect(")");
        return new FunctionCall(name, attribute, argument);
    }

    private Operand ParseOperand()
    {
        var token = Next();
        if (token == "size" && TryTake("("))
        {
            var name = Attribute(Next());
            Expect(")");
            return new SizeOperand(name);
        }
        if (token.StartsWith(':')) return new ValueOperand(token, _attributes.Value(token, _kind));
        return new AttributeOperand(Attribute(token));
    }

    private string Attribute(string token)
    {
        if (token is "." or "[")
            throw new AwsException("ValidationException", $"Invalid {_kind}: The sandbox supports top-level attributes only, not document paths.");
        if (token.StartsWith('#')) return CheckTopLevel(_attributes.Name(token, _kind));
        if (token.Length == 0 || !(char.IsAsciiLetter(token[0]) || token[0] == '_')) throw Syntax(token);
        if (ReservedWords.Contains(token))
            throw new AwsException("ValidationException", $"Invalid {_kind}: Attribute name is a reserved keyword; reserved keyword: {token}");
        return CheckTopLevel(token);
    }

    private string CheckTopLevel(string name)
    {
        if (Peek() is "." or "[")
            throw new AwsException("ValidationException", $"Invalid {_kind}: The sandbox supports top-level attributes only, not document paths.");
        return name;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '(' or ')' or ',' or '=' or '.' or '[' or ']') { tokens.Add(c.ToString()); i++; continue; }
            if (c is '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                var op = two is "<=" or ">=" or "<>" ? two : c.ToString();
                tokens.Add(op);
                i += op.Length;
                continue;
            }
            var start = i;
            var prefix = c is '#' or ':' ? 1 : 0;
            i += prefix;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
            if (i > start + prefix)
            {
                tokens.Add(text[start..i]);
                continue;
            }
            // A stray character: kept as its own token, so the parser reports it as a syntax error.
            tokens.Add(text[start].ToString());
            i = start + 1;
        }
        return tokens;
    }

    private string? Peek() => PeekAt(0);
    private string? PeekAt(int offset) => _at + offset < _tokens.Count ? _tokens[_at + offset] : null;
    private string Next() => _at < _tokens.Count ? _tokens[_at++] : throw Syntax("<EOF>");

    private bool TryTake(string token)
    {
        if (Peek() != token) return false;
        _at++;
        return true;
    }

    private bool TryTakeKeyword(string keyword)
    {
        if (!string.Equals(Peek(), keyword, StringComparison.OrdinalIgnoreCase)) return false;
        _at++;
        return true;
    }

    private void Expect(string token)
    {
        if (!TryTake(token)) throw Syntax();
    }

    private AwsException Syntax(string? token = null)
    {
        token ??= Peek() ?? "<EOF>";
        return new AwsException("ValidationException", $"Invalid {_kind}: Syntax error; token: \"{token}\", near: \"{_text.Trim()}\"");
    }
}
