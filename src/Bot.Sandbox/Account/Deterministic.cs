namespace Bot.Sandbox.Account;

/// <summary>
/// Stable pseudo-random numbers derived from a seed and a key, so that a value (say, the invocations of a
/// function in a given minute) is the same every time it is asked for, in every process.
/// </summary>
internal static class Deterministic
{
    /// <summary>FNV-1a of a string: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong Hash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }

    /// <summary>SplitMix64 finalizer.</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Key(int seed, ulong a, long b, long c = 0) =>
        Mix(Mix(Mix((ulong)(uint)seed ^ a) ^ (ulong)b) ^ (ulong)c);

    /// <summary>A uniform number in [0, 1).</summary>
    public static double Unit(ulong key) => (Mix(key) >> 11) * (1.0 / (1UL << 53));

    public static double Unit(int seed, string series, long slot, long salt = 0) => Unit(Key(seed, Hash(series), slot, salt));

    /// <summary>A deterministic GUID-shaped id.</summary>
    public static Guid Guid(int seed, string purpose, long n = 0)
    {
        var a = Mix(Key(seed, Hash(purpose), n, 1));
        var b = Mix(Key(seed, Hash(purpose), n, 2));
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, a);
        BitConverter.TryWriteBytes(bytes[8..], b);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>Rounds x down or up with probability equal to its fraction, using a deterministic draw.</summary>
    public static int StochasticRound(double x, double draw) => x <= 0 ? 0 : (int)Math.Floor(x + draw);
}
