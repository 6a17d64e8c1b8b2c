using Microsoft.Extensions.Options;

namespace Bot.Testing;

/// <summary>Options that stay as given, for unit tests of one class that reads <see cref="IOptionsMonitor{T}"/>.</summary>
public sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
