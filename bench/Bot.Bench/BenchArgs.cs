using System.Globalization;

namespace Bot.Bench;

/// <summary>A benchmark's <c>--name value</c> options.</summary>
public static class BenchArgs
{
    public static int Number(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    public static string Text(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>The machine the figures come from: cores, load average, .NET, OS.</summary>
    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "unknown".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
