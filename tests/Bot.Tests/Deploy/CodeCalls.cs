using Bot.Testing;
using Bot.Tests;
using System.Reflection;
using System.Reflection.Emit;

namespace Bot.Tests.Deploy;

/// <summary>
/// The methods the code of some assemblies calls (or takes as a delegate), read from their IL: every method body of
/// every type, including the state machines of async methods and the closures of lambdas.
/// </summary>
public static class CodeCalls
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>(module, metadata token) of each method called from <paramref name="assemblies"/>.</summary>
    public static IReadOnlySet<(Module, int)> In(params Assembly[] assemblies)
    {
        var called = new HashSet<(Module, int)>();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
            foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
            {
                foreach (var target in Targets(method)) called.Add((target.Module, target.MetadataToken));
            }
        return called;
    }

    public static bool Calls(this IReadOnlySet<(Module, int)> called, MethodInfo method) => called.Contains((method.Module, method.MetadataToken));

    private static IEnumerable<MethodBase> Targets(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            if (opCode.OperandType == OperandType.InlineMethod)
            {
                MethodBase? target = null;
                try { target = method.Module.ResolveMethod(BitConverter.ToInt32(il, at), typeArguments, methodArguments); }
                catch (ArgumentException) { }
                if (target is not null) yield return target;
            }
            at += opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
        }
    }
}
