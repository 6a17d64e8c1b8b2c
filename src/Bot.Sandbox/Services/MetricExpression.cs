using System.Globalization;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// The arithmetic part of CloudWatch metric math: numbers, query ids, <c>+ - * /</c> and parentheses,
/// evaluated timestamp by timestamp (<c>100 * errors / invocations</c>). Functions are not supported.
/// </summary>
internal sealed class MetricExpression
{
    private readonly string _text;
    private int _pos;

    private MetricExpression(string text) => _text = text;

    /// <summary>Parses the expression into an evaluator over named values; throws on syntax the sandbox does not support.</summary>
    public static Func<Func<string, double?>, double?> Parse(string text, out IReadOnlySet<string> ids)
    {
        var parser = new MetricExpression(text);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var root = parser.Sum(found);
        parser.SkipSpaces();
        if (parser._pos != text.Length) throw parser.Error();
        ids = found;
        return root;
    }

    private Func<Func<string, double?>, double?> Sum(HashSet<string> ids)
    {
        var left = Product(ids);
        while (true)
        {
            SkipSpaces();
            if (Peek() is not ('+' or '-')) return left;
            var op = _text[_pos++];
            var right = Product(ids);
            var l = left;
            left = op == '+' ? v => l(v) + right(v) : v => l(v) - right(v);
        }
    }

    private Func<Func<string, double?>, double?> Product(HashSet<string> ids)
    {
        var left = Unary(ids);
        while (true)
        {
            SkipSpaces();
            if (Peek() is not ('*' or '/')) return left;
            var op = _text[_pos++];
            var right = Unary(ids);
            var l = left;
            left = op == '*' ? v => l(v) * right(v) : v => right(v) is { } d && d != 0 ? l(v) / d : null;
        }
    }

    private Func<Func<string, double?>, double?> Unary(HashSet<string> ids)
    {
        SkipSpaces();
        if (Peek() == '-')
        {
            _pos++;
            var inner = Unary(ids);
            return v => -inner(v);
        }
        if (Peek() == '(')
        {
            _pos++;
            var inner = Sum(ids);
            SkipSpaces();
            if (Peek() != ')') throw Error();
            _pos++;
            return inner;
        }
        var start = _pos;
        if (Peek() is { } c && (char.IsAsciiDigit(c) || c == '.'))
        {
            while (Peek() is { } d && (char.IsAsciiDigit(d) || d == '.')) _pos++;
            if (!double.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) throw Error();
            return _ => number;
        }
        if (Peek() is { } first && char.IsAsciiLetterLower(first))
        {
            while (Peek() is { } d && (char.IsAsciiLetterOrDigit(d) || d == '_')) _pos++;
            var id = _text[start.._pos];
            SkipSpaces();
            if (Peek() == '(')
                throw new AwsException("InvalidParameterValueException", $"The sandbox does not support the metric math function {id}(); use +, -, *, / and parentheses.");
            ids.Add(id);
            return v => v(id);
        }
        throw Error();
    }

    private char? Peek() => _pos < _text.Length ? _text[_pos] : null;

    private void SkipSpaces()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private AwsException Error() =>
        new("InvalidParameterValueException", $"The metric math expression '{_text}' is not valid at position {_pos + 1}.");
}
