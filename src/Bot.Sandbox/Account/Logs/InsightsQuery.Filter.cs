using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Sandbox.Account.Logs;

/// <summary>The <c>filter</c> command: like /regex/ or "text", comparisons, and/or/not, ispresent.</summary>
public sealed partial class InsightsQuery
{
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '"' or '\'' || (c == '/' && IsRegexStart(text, i)))
            {
                var start = i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\') i++;
                    i++;
                }
                if (i >= text.Length) throw new FormatException("A string or /regex/ in the filter is not closed.");
                i++;
                tokens.Add(text[start..i]);
            }
            else if (c is '(' or ')' or ',') { tokens.Add(c.ToString()); i++; }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "!=" or "<=" or ">=" or "=~" or "==") { tokens.Add(two); i += 2; }
                else { tokens.Add(c.ToString()); i++; }
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '=' or '!' or '<' or '>')) i++;
                tokens.Add(text[start..i]);
            }
        }
        return tokens;
    }

    private sealed class Parser(List<string> tokens)
    {
        private int _i;

        public void ExpectEnd()
        {
            if (_i != tokens.Count) throw new FormatException($"Unexpected '{tokens[_i]}' in the filter.");
        }

        public Func<Row, bool> ParseExpression()
        {
            var left = And();
            while (Is("or"))
            {
                _i++;
                var right = And();
                var l = left;
                left = r => l(r) || right(r);
            }
            return left;
        }

        private Func<Row, bool> And()
        {
            var left = Not();
            while (Is("and"))
            {
                _i++;
                var right = Not();
                var l = left;
                left = r => l(r) && right(r);
            }
            return left;
        }

        private Func<Row, bool> Not()
        {
            if (Is("not"))
            {
                _i++;
                var inner = Not();
                return r => !inner(r);
            }
            if (Peek() == "(")
            {
                _i++;
                var inner = ParseExpression();
                Expect(")");
                return inner;
            }
            return Comparison();
        }

        private Func<Row, bool> Comparison()
        {
            var field = Next("a field");
            if (field.Equals("ispresent", StringComparison.OrdinalIgnoreCase))
            {
                Expect("(");
                var f = Next("a field");
                Expect(")");
                return r => r.GetValueOrDefault(f) is not null;
            }
            if (!FieldName().IsMatch(field)) throw new FormatException($"'{field}' is not a field name.");
            var negate = false;
            if (Is("not"))
            {
                _i++;
                negate = true;
            }
            var op = Next("an operator").ToLowerInvariant();
            var operand = Next("a value");
            Func<Row, bool> test;
            if (op is "like" or "=~")
            {
                var match = Matcher(operand);
                test = r => r.GetValueOrDefault(field) is { } v && match(Format(field, v));
            }
            else if (op is "=" or "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                if (negate) throw new FormatException("'not' goes before like, not before a comparison.");
                var literal = Literal(operand);
                test = r =>
                {
                    var value = r.GetValueOrDefault(field);
                    if (value is null) return op == "!=";
                    var cmp = literal is double d && ToNumber(value) is { } n ? n.CompareTo(d)
                        : string.CompareOrdinal(Format(field, value), Convert.ToString(literal, CultureInfo.InvariantCulture));
                    return op switch
                    {
                        "=" or "==" => cmp == 0,
                        "!=" => cmp != 0,
                        "<" => cmp < 0,
                        ">" => cmp > 0,
                        "<=" => cmp <= 0,
                        _ => cmp >= 0,
                    };
                };
            }
            else throw new FormatException($"The sandbox does not support the operator '{op}' in filters.");
            return negate ? r => !test(r) : test;
        }

        private static Func<string, bool> Matcher(string operand)
        {
            if (operand.Length >= 2 && operand[0] == '/')
            {
                var last = operand.LastIndexOf('/');
                var flags = operand[(last + 1)..];
                var regex = new Regex(operand[1..last], flags.Contains('i', StringComparison.Ordinal) ? RegexOptions.IgnoreCase : RegexOptions.None,
                    TimeSpan.FromMilliseconds(50));
                return s =>
                {
                    try
                    {
                        return regex.IsMatch(s);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        return false;
                    }
                };
            }
            var text = Literal(operand) as string ?? throw new FormatException("'like' takes a /regex/ or a \"string\".");
            return s => s.Contains(text, StringComparison.Ordinal);
        }

        private static object Literal(string token)
        {
            if (token.Length >= 2 && token[0] is '"' or '\'' && token[^1] == token[0]) return Regex.Unescape(token[1..^1]);
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw new FormatException($"'{token}' is not a string or a number.");
        }

        private string? Peek() => _i < tokens.Count ? tokens[_i] : null;
        private bool Is(string word) => Peek() is { } t && t.Equals(word, StringComparison.OrdinalIgnoreCase);

        private string Next(string what) => _i < tokens.Count ? tokens[_i++] : throw new FormatException($"The filter ends where {what} was expected.");

        private void Expect(string token)
        {
            if (Peek() != token) throw new FormatException($"Expected '{token}' in the filter.");
            _i++;
        }
    }
}
