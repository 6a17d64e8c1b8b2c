using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Testing;

/// <summary>Keeps every log line (message, scopes' text and exception) at every level, for tests that check what reaches the log.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>Everything logged, as one text.</summary>
    public string Text => string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={Show(p.Value)}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{structured}] {exception}");
        }

        // Arrays (e.g. header values) are written out, so a secret inside one cannot hide behind "System.String[]".
        private static string? Show(object? value) =>
            value is System.Collections.IEnumerable items and not string ? string.Join("|", items.Cast<object?>()) : value?.ToString();
    }
}
