using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Bot.Workflows.Engine;

namespace Bot.Workflows.Messages;

/// <summary>
/// A piece of a line of text that a workflow writes. Every transport renders each kind its own way, and
/// escapes plain text itself: the domain never writes Slack markup, so words a user or AWS supplied can
/// never turn into a mention or a link.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "k")]
[JsonDerivedType(typeof(TextSpan), "text")]
[JsonDerivedType(typeof(CodeSpan), "code")]
[JsonDerivedType(typeof(StrongSpan), "strong")]
[JsonDerivedType(typeof(UserSpan), "user")]
[JsonDerivedType(typeof(GroupSpan), "group")]
[JsonDerivedType(typeof(TimeSpanAt), "time")]
[JsonDerivedType(typeof(LinkSpan), "link")]
public abstract record Span
{
    /// <summary>The span as plain text (fallback text, logs, the audit trail).</summary>
    public abstract string Plain { get; }
}

/// <summary>Plain words.</summary>
public sealed record TextSpan(string Text) : Span
{
    public override string Plain => Text;
}

/// <summary>A value (a version, a function name, a key): shown as code.</summary>
public sealed record CodeSpan(string Text) : Span
{
    public override string Plain => Text;
}

/// <summary>Words to stress.</summary>
public sealed record StrongSpan(string Text) : Span
{
    public override string Plain => Text;
}

/// <summary>A person: a mention in Slack, <c>@name</c> elsewhere.</summary>
public sealed record UserSpan(string UserId, string Name) : Span
{
    public override string Plain => "@" + Name;
}

/// <summary>A group of people (a Slack user group): a group mention in Slack.</summary>
public sealed record GroupSpan(string GroupId, string Name) : Span
{
    public override string Plain => "@" + Name;
}

/// <summary>A moment, shown in UTC (Slack may show it in the reader's time zone).</summary>
public sealed record TimeSpanAt(DateTimeOffset At) : Span
{
    public override string Plain => At.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

/// <summary>A link. Renderers show only http(s) links as links; anything else is shown as text.</summary>
public sealed record LinkSpan(string Url, string Label) : Span
{
    public override string Plain => $"{Label} ({Url})";
}

/// <summary>A line of text made of spans.</summary>
public sealed record Line(IReadOnlyList<Span> Spans)
{
    public static readonly Line Empty = new([]);

    /// <summary>
    /// A line from parts: strings are plain text, spans stay as they are, a <see cref="WorkflowActor"/> becomes a
    /// mention (the bot itself is named, not mentioned), a <see cref="DateTimeOffset"/> a time; other values are
    /// shown as code.
    /// </summary>
    public static Line Of(params object?[] parts) => new(parts.Where(p => p is not null).Select(ToSpan).ToList());

    /// <summary>The line as plain text.</summary>
    public string ToPlainText()
    {
        var text = new StringBuilder();
        foreach (var span in Spans) text.Append(span.Plain);
        return text.ToString();
    }

    public override string ToString() => ToPlainText();

    public static implicit operator Line(string text) => new([new TextSpan(text)]);

    private static Span ToSpan(object? part) => part switch
    {
        Span span => span,
        string s => new TextSpan(s),
        WorkflowActor { IsPerson: true } actor => new UserSpan(actor.UserId, actor.UserName),
        WorkflowActor actor => new TextSpan("@" + actor.UserName),
        DateTimeOffset at => new TimeSpanAt(at),
        IFormattable f => new CodeSpan(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => new CodeSpan(part?.ToString() ?? ""),
    };
}

/// <summary>Short constructors for spans: <c>Line.Of("alias ", Code("v7"), " → ", Code("v8"))</c>.</summary>
public static class Spans
{
    public static CodeSpan Code(string text) => new(text);
    public static StrongSpan Strong(string text) => new(text);
    public static UserSpan User(string userId, string name) => new(userId, name);
    public static GroupSpan Group(string groupId, string name) => new(groupId, name);
    public static TimeSpanAt Time(DateTimeOffset at) => new(at);
    public static LinkSpan Link(string url, string label) => new(url, label);
}
