using Bot.Testing;
using Bot.Tests;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Bot.Tests.Deploy;

/// <summary>
/// The order CloudFormation creates a deployed template's resources in: a resource waits for each resource it names in
/// <c>DependsOn</c> and each one it references (<c>!Ref</c>, <c>!GetAtt</c>, <c>${…}</c> in <c>!Sub</c>) anywhere in
/// its declaration (properties and metadata), in the <c>!If</c> branches its conditions take with these parameters.
/// </summary>
public sealed partial class CloudFormationTemplate
{
    /// <summary>What <paramref name="logicalName"/> waits for directly (names that are not parameters or pseudo parameters).</summary>
    public IReadOnlySet<string> DirectDependencies(string logicalName)
    {
        var resource = RawResource(logicalName);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in resource.Children)
        {
            switch (Key(key))
            {
                case "DependsOn":
                    foreach (var name in value is YamlSequenceNode list ? list.Children.Select(Scalar) : [Scalar(value)]) found.Add(name!);
                    break;
                case "Properties" or "Metadata":
                    CollectReferences(value, found);
                    break;
            }
        }
        return found;
    }

    /// <summary>Everything <paramref name="logicalName"/> waits for, directly or through what it waits for.</summary>
    public IReadOnlySet<string> AllDependencies(string logicalName)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(DirectDependencies(logicalName));
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next) || !Resources.ContainsKey(next)) continue;
            foreach (var dependency in DirectDependencies(next)) pending.Push(dependency);
        }
        return seen;
    }

    private YamlMappingNode RawResource(string logicalName) =>
        (YamlMappingNode)Map(_root, "Resources").Children.First(r => Key(r.Key) == logicalName).Value;

    private void CollectReferences(YamlNode node, ISet<string> found)
    {
        switch (node)
        {
            case YamlScalarNode s when TagOf(s) == "!Ref":
                AddResource(s.Value!, found);
                break;
            case YamlScalarNode s when TagOf(s) == "!GetAtt":
                AddResource(s.Value!.Split('.')[0], found);
                break;
            case YamlScalarNode s when TagOf(s) == "!Sub":
                foreach (Match m in SubVariable().Matches(s.Value!)) AddResource(m.Groups[1].Value.Split('.')[0], found);
                break;
            case YamlSequenceNode s when TagOf(s) == "!If":
                CollectReferences(_conditions[Scalar(s.Children[0])!] ? s.Children[1] : s.Children[2], found);
                break;
            case YamlSequenceNode s when TagOf(s) == "!GetAtt":
                AddResource(Scalar(s.Children[0])!, found);
                break;
            case YamlSequenceNode s when TagOf(s) == "!Sub":
                var variables = s.Children.Count > 1 && s.Children[1] is YamlMappingNode map ? map.Children.Keys.Select(Key).ToHashSet() : [];
                foreach (Match m in SubVariable().Matches(Scalar(s.Children[0])!))
                {
                    if (!variables.Contains(m.Groups[1].Value)) AddResource(m.Groups[1].Value.Split('.')[0], found);
                }
                if (s.Children.Count > 1) CollectReferences(s.Children[1], found);
                break;
            case YamlSequenceNode s:
                foreach (var child in s.Children) CollectReferences(child, found);
                break;
            case YamlMappingNode m:
                foreach (var child in m.Children.Values) CollectReferences(child, found);
                break;
        }
    }

    private void AddResource(string name, ISet<string> found)
    {
        if (!name.StartsWith("AWS::", StringComparison.Ordinal) && !_parameters.ContainsKey(name)) found.Add(name);
    }
}
