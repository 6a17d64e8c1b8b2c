using Bot.Testing;
using Bot.Tests;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Bot.Tests.Deploy;

/// <summary>
/// A CloudFormation template (YAML, short-form intrinsics) as deployed with given parameter values: conditions are
/// evaluated, resources whose condition is false are left out, <c>!If</c> picks its branch, <c>AWS::NoValue</c>
/// disappears, and <c>!Ref</c>, <c>!Sub</c> and <c>!GetAtt</c> become strings (pseudo parameters as <c>aws</c>,
/// <c>REGION</c>, <c>ACCOUNT</c>; resources as <c>{Name}</c> or their ARN). Values are plain
/// <see cref="Dictionary{TKey,TValue}"/>, <see cref="List{T}"/> and <see cref="string"/>.
/// </summary>
public sealed partial class CloudFormationTemplate
{
    private readonly YamlMappingNode _root;
    private readonly Dictionary<string, string> _parameters;
    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);
    private static readonly object NoValue = new();

    public CloudFormationTemplate(string path, IReadOnlyDictionary<string, string> parameters)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path)) yaml.Load(reader);
        _root = (YamlMappingNode)yaml.Documents[0].RootNode;
        _parameters = Map(_root, "Parameters").Children.ToDictionary(
            p => Key(p.Key),
            p => parameters.TryGetValue(Key(p.Key), out var given) ? given : Scalar(((YamlMappingNode)p.Value).Children.FirstOrDefault(c => Key(c.Key) == "Default").Value) ?? "",
            StringComparer.Ordinal);
        foreach (var (name, node) in Map(_root, "Conditions").Children) _conditions[Key(name)] = Truth(node);
        Resources = Map(_root, "Resources").Children
            .Where(r => ((YamlMappingNode)r.Value).Children.FirstOrDefault(c => Key(c.Key) == "Condition").Value is not YamlScalarNode condition || _conditions[condition.Value!])
            .ToDictionary(r => Key(r.Key), r => (Dictionary<string, object>)Evaluate(r.Value), StringComparer.Ordinal);
    }

    /// <summary>The template's parameters, by name.</summary>
    public IEnumerable<string> ParameterNames => _parameters.Keys;

    /// <summary>A parameter's declaration (<c>Type</c>, <c>Default</c>, <c>AllowedPattern</c> …).</summary>
    public Dictionary<string, object> Parameter(string name) =>
        (Dictionary<string, object>)Evaluate(Map(_root, "Parameters").Children.First(p => Key(p.Key) == name).Value);

    /// <summary>The resources deployed with these parameters, by logical name.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, object>> Resources { get; }

    public IEnumerable<KeyValuePair<string, Dictionary<string, object>>> OfType(string type) => Resources.Where(r => (string)r.Value["Type"] == type);

    public static Dictionary<string, object> Properties(Dictionary<string, object> resource) => (Dictionary<string, object>)resource["Properties"];

    public Dictionary<string, object> Properties(string logicalName) => Properties(Resources[logicalName]);

    /// <summary>Walks a dotted path of maps (and list indexes) from a value.</summary>
    public static object? At(object? value, string path)
    {
        foreach (var part in path.Split('.'))
        {
            value = value switch
            {
                Dictionary<string, object> map => map.GetValueOrDefault(part),
                List<object> list when int.TryParse(part, out var i) => i < list.Count ? list[i] : null,
                _ => null,
            };
        }
        return value;
    }

    public static List<object> List(object? value) => value as List<object> ?? (value is null ? [] : [value]);

    /// <summary>What a resource's ARN looks like in evaluated values (e.g. <c>arn:aws:dynamodb:REGION:ACCOUNT:table/securebase-ops-bot</c>).</summary>
    public string ArnOf(string logicalName) => (string)Resources[logicalName]["Type"] switch
    {
        "AWS::DynamoDB::Table" => $"arn:aws:dynamodb:REGION:ACCOUNT:table/{Properties(logicalName)["TableName"]}",
        _ => $"{{{logicalName}.Arn}}",
    };

    private object Evaluate(YamlNode node) => node switch
    {
        YamlScalarNode s when TagOf(s) == "!Ref" => Ref(s.Value!),
        YamlScalarNode s when TagOf(s) == "!Sub" => Sub(s.Value!),
        YamlScalarNode s when TagOf(s) == "!GetAtt" => GetAtt(s.Value!),
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode s when TagOf(s) == "!If" => If(s),
        YamlSequenceNode s when TagOf(s) == "!GetAtt" => GetAtt($"{Scalar(s.Children[0])}.{Scalar(s.Children[1])}"),
        YamlSequenceNode s when TagOf(s) == "!Sub" => Sub(Scalar(s.Children[0])!, s.Children.Count > 1 ? (Dictionary<string, object>)Evaluate(s.Children[1]) : null),
        YamlSequenceNode s when TagOf(s) == "!Select" => List(Evaluate(s.Children[1]))[int.Parse((string)Evaluate(s.Children[0]), System.Globalization.CultureInfo.InvariantCulture)],
        YamlSequenceNode s when TagOf(s) == "!Split" => ((string)Evaluate(s.Children[1])).Split((string)Evaluate(s.Children[0])).Cast<object>().ToList(),
        YamlSequenceNode s when TagOf(s) == "!Join" => string.Join((string)Evaluate(s.Children[0]), List(Evaluate(s.Children[1])).Cast<string>()),
        YamlSequenceNode s when TagOf(s) == "!Equals" => (Truth(s) ? "true" : "false"),
        YamlSequenceNode s => s.Children.Select(Evaluate).Where(v => v != NoValue).ToList(),
        YamlMappingNode m => m.Children.Select(c => (Key: Key(c.Key), Value: Evaluate(c.Value))).Where(c => c.Value != NoValue)
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node}"),
    };

    private object Ref(string name) => name switch
    {
        "AWS::NoValue" => NoValue,
        "AWS::Region" => "REGION",
        "AWS::AccountId" => "ACCOUNT",
        "AWS::Partition" => "aws",
        _ when _parameters.TryGetValue(name, out var value) => name.EndsWith("Ids", StringComparison.Ordinal) ? value.Split(',').Cast<object>().ToList() : value,
        _ => $"{{{name}}}",
    };

    private string GetAtt(string path) => path.EndsWith(".Arn", StringComparison.Ordinal) && Map(_root, "Resources").Children.Any(r => Key(r.Key) == path[..^4])
        && Resolve(path[..^4]) is { } arn ? arn : $"{{{path}}}";

    private string? Resolve(string logicalName)
    {
        var resource = (YamlMappingNode)Map(_root, "Resources").Children.First(r => Key(r.Key) == logicalName).Value;
        if (Scalar(resource.Children.First(c => Key(c.Key) == "Type").Value) != "AWS::DynamoDB::Table") return null;
        var properties = (YamlMappingNode)resource.Children.First(c => Key(c.Key) == "Properties").Value;
        return $"arn:aws:dynamodb:REGION:ACCOUNT:table/{Evaluate(properties.Children.First(c => Key(c.Key) == "TableName").Value)}";
    }

    private string Sub(string template, Dictionary<string, object>? variables = null) => SubVariable().Replace(template, m =>
    {
        var name = m.Groups[1].Value;
        if (variables?.GetValueOrDefault(name) is string value) return value;
        return name.EndsWith(".Arn", StringComparison.Ordinal) ? GetAtt(name) : Ref(name) as string ?? "";
    });

    [GeneratedRegex(@"\$\{([A-Za-z0-9:.]+)\}")]
    private static partial Regex SubVariable();

    private object If(YamlSequenceNode node) => _conditions[Scalar(node.Children[0])!] ? Evaluate(node.Children[1]) : Evaluate(node.Children[2]);

    /// <summary>A condition or rule function (short form <c>!Not</c>, or long form <c>Fn::Contains:</c>), evaluated.</summary>
    private bool Truth(YamlNode node)
    {
        if (node is YamlScalarNode { } condition && TagOf(condition) == "!Condition") return _conditions[condition.Value!];
        var (function, arguments) = node switch
        {
            YamlSequenceNode s when TagOf(s).StartsWith('!') => (TagOf(s)[1..], s.Children.ToList()),
            YamlMappingNode { Children.Count: 1 } m when Key(m.Children.Keys.Single()).StartsWith("Fn::", StringComparison.Ordinal) =>
                (Key(m.Children.Keys.Single())[4..], ((YamlSequenceNode)m.Children.Values.Single()).Children.ToList()),
            _ => throw new InvalidOperationException($"Unsupported condition {node}"),
        };
        return function switch
        {
            "Equals" => Equals(Evaluate(arguments[0]), Evaluate(arguments[1])),
            "Not" => !Truth(arguments[0]),
            "And" => arguments.All(Truth),
            "Or" => arguments.Any(Truth),
            "Contains" => List(Evaluate(arguments[0])).Contains(Evaluate(arguments[1])),
            "EachMemberEquals" => List(Evaluate(arguments[0])).All(v => Equals(v, Evaluate(arguments[1]))),
            _ => throw new InvalidOperationException($"Unsupported condition function {function}"),
        };
    }

    /// <summary>
    /// The <c>AssertDescription</c> of every rule assertion these parameters fail: with any, CloudFormation refuses the
    /// deploy before it creates anything.
    /// </summary>
    public IReadOnlyList<string> RefusedBecause() =>
        Map(_root, "Rules").Children.Values.Cast<YamlMappingNode>()
            .Where(rule => rule.Children.FirstOrDefault(c => Key(c.Key) == "RuleCondition").Value is not { } when || Truth(when))
            .SelectMany(rule => ((YamlSequenceNode)rule.Children.First(c => Key(c.Key) == "Assertions").Value).Children.Cast<YamlMappingNode>())
            .Where(assertion => !Truth(assertion.Children.First(c => Key(c.Key) == "Assert").Value))
            .Select(assertion => Scalar(assertion.Children.First(c => Key(c.Key) == "AssertDescription").Value)!)
            .ToList();

    private static YamlMappingNode Map(YamlMappingNode root, string key) =>
        (YamlMappingNode?)root.Children.FirstOrDefault(c => Key(c.Key) == key).Value ?? new YamlMappingNode();

    private static string TagOf(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? "" : node.Tag.Value;

    private static string Key(YamlNode node) => ((YamlScalarNode)node).Value!;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;
}
