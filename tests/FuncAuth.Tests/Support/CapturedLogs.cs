using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Tests.Support;

/// <summary>Every log line an app under test writes, with its exception, as text to search.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<EventId> _events = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The event ids of every line, in order (security events have names: see SecurityEvents).</summary>
    public IReadOnlyCollection<EventId> Events => _events;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, _events);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<EventId> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {properties} {exception}");
            events.Enqueue(eventId);
        }
    }
}
