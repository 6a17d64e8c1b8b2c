using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Bot.Sandbox.Protocols;

/// <summary>
/// Reads an AWS query-protocol request (<c>Action=Op&amp;Version=…&amp;Member.member.1.Name=…</c>, form-encoded) into
/// the same JSON input the JSON protocol carries, so one implementation serves both: <c>X.member.N</c> becomes the
/// N-th item of list X, <c>X.entry.N.key/value</c> an entry of map X, <c>X.Y</c> member Y of structure X.
/// </summary>
internal static class QueryInput
{
    /// <summary>The <c>Version</c> of a query-protocol request (which service it is for), or null.</summary>
    public static string? Version(ReadOnlyMemory<byte> body) =>
        QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body.Span)).TryGetValue("Version", out var v) ? v.ToString() : null;

    public static (string Action, string? Version, JsonInput Input) Parse(ReadOnlyMemory<byte> body, QueryShapes shapes, string validationCode)
    {
        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body.Span));
        var action = form.TryGetValue("Action", out var a) ? a.ToString() : "";
        string? version = form.TryGetValue("Version", out var v) ? v.ToString() : null;
        var root = new Node();
        foreach (var (key, values) in form)
        {
            if (key is "Action" or "Version") continue;
            root.Insert(key.Split('.'), values.ToString());
        }
        var json = root.ToJson(null, shapes) ?? new JsonObject();
        var element = JsonDocument.Parse(json.ToJsonString()).RootElement;
        return (action, version, new JsonInput(element, validationCode));
    }

    private sealed class Node
    {
        private readonly Dictionary<string, Node> _children = new(StringComparer.Ordinal);
        private readonly SortedDictionary<int, Node> _items = [];
        private string? _value;
        private bool _isMap;

        public void Insert(ReadOnlySpan<string> path, string value)
        {
            if (path.Length == 0)
            {
                _value = value;
                return;
            }
            if (path.Length >= 2 && path[0] is "member" or "entry" && int.TryParse(path[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
            {
                _isMap = path[0] == "entry";
                if (!_items.TryGetValue(n, out var item)) _items[n] = item = new Node();
                item.Insert(path[2..], value);
                return;
            }
            if (!_children.TryGetValue(path[0], out var child)) _children[path[0]] = child = new Node();
            child.Insert(path[1..], value);
        }

        public JsonNode? ToJson(string? name, QueryShapes shapes)
        {
            if (_value is not null) return Scalar(name, _value, shapes);
            if (_isMap)
            {
                var map = new JsonObject();
                foreach (var entry in _items.Values)
                    if (entry._children.TryGetValue("key", out var k) && k._value is { } key)
                        map[key] = entry._children.TryGetValue("value", out var value) ? value.ToJson(name, shapes) : null;
                return map;
            }
            if (_items.Count > 0)
            {
                var list = new JsonArray();
                foreach (var item in _items.Values) list.Add(item.ToJson(name, shapes));
                return list;
            }
            var structure = new JsonObject();
            foreach (var (key, child) in _children) structure[key] = child.ToJson(key, shapes);
            return structure;
        }

        private static JsonNode? Scalar(string? name, string value, QueryShapes shapes)
        {
            if (name is not null && shapes.IntegerInputs.Contains(name) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                return JsonValue.Create(number);
            if (name is not null && shapes.BooleanInputs.Contains(name) && bool.TryParse(value, out var flag))
                return JsonValue.Create(flag);
            return JsonValue.Create(value);
        }
    }
}
