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
[JsonDerivedType(typeof(EmojiSpan), "emoji")]
[JsonDerivedType(typeof(EmphasisSpan), "em")]
[JsonDerivedType(typeof(ChannelSpan), "channel")]
[JsonDerivedType(typeof(PreformattedSpan), "pre")]
public abstract record Span
{
    /// <summary>The span as plain text (fallback text, logs, the audit trail).</summary>
    public abstract string Plain { get; }
}

/// <summary>Plain words.</summary>
public sealed record TextSpan(string Text) : Span
{
    public override string Plain => Text;

    /// <summary>Written by the bot itself with <c>&lt;placeholders&gt;</c> that Slack has always received as they are (<see cref="Spans.AsWritten"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Verbatim { get; init; }
}

/// <summary>A value (a version, a function name, a key): shown as code.</summary>
public sealed record CodeSpan(string Text) : Span
{
    public override string Plain => Text;

    /// <summary>
    /// Written by the bot itself with <c>&lt;placeholders&gt;</c> that Slack has always received as they are (see
    /// <see cref="Spans.Template"/>); never set for text that came from outside.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Verbatim { get; init; }
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

/// <summary>An emoji by its short name (<c>white_check_mark</c>): Slack draws it, other transports show <c>:name:</c>.</summary>
public sealed record EmojiSpan(string Name) : Span
{
    public override string Plain => $":{Name}:";
}

/// <summary>Words set apart in italics (a caveat, an aside).</summary>
public sealed record EmphasisSpan(string Text) : Span
{
    public override string Plain => Text;
}

/// <summary>A conversation (a channel): a link to it in Slack, <c>#id</c> elsewhere.</summary>
public sealed record ChannelSpan(string ChannelId) : Span
{
    public override string Plain => "#" + ChannelId;
}

/// <summary>Lines shown as they are, in a fixed-width block (log lines, a table); it starts and ends a line of its own.</summary>
public sealed record PreformattedSpan(string Text) : Span
{
    public override string Plain => Text;
}

/// <summary>
/// Rich text made of spans: usually one line, though a span may hold line breaks (a list, a block of log lines).
/// </summary>
public sealed record Line(IReadOnlyList<Span> Spans)
{
    public static readonly Line Empty = new([]);

    /// <summary>
    /// A line from parts: strings are plain text, spans and lines stay as they are, a <see cref="WorkflowActor"/> becomes a
    /// mention (the bot itself is named, not mentioned), a <see cref="DateTimeOffset"/> a time; other values are
    /// shown as code.
    /// </summary>
    public static Line Of(params object?[] parts) => new(parts.Where(p => p is not null).SelectMany(p => p switch
    {
        Line line => line.Spans,
        LineBuilder builder => builder.ToLine().Spans,
        _ => [ToSpan(p)],
    }).ToList());

    /// <summary>This line followed by <paramref name="parts"/> (as <see cref="Of"/> reads them).</summary>
    public Line Append(params object?[] parts) => new([.. Spans, .. Of(parts).Spans]);

    public static Line operator +(Line first, Line second) => new([.. first.Spans, .. second.Spans]);

    /// <summary>The lines one after another, <paramref name="separator"/> between each two.</summary>
    public static Line Join(Line separator, IEnumerable<Line> lines)
    {
        var spans = new List<Span>();
        foreach (var line in lines)
        {
            if (spans.Count > 0) spans.AddRange(separator.Spans);
            spans.AddRange(line.Spans);
        }
        return new(spans);
    }

    /// <summary>The line without the white space (line breaks included) at its end.</summary>
    public Line TrimEnd()
    {
        var spans = Spans.ToList();
        while (spans.Count > 0 && spans[^1] is TextSpan last)
        {
            var trimmed = last.Text.TrimEnd();
            if (trimmed.Length > 0)
            {
                spans[^1] = new TextSpan(trimmed);
                break;
            }
            spans.RemoveAt(spans.Count - 1);
        }
        return new(spans);
    }

    /// <summary>The line as plain text.</summary>
    public string ToPlainText()
    {
        var text = new StringBuilder();
        foreach (var span in Spans) text.Append(span.Plain);
        return text.ToString();
    }

    public override string ToString() => ToPlainText();

    /// <summary>Two lines are equal when their spans are, one by one.</summary>
    public bool Equals(Line? other) => other is not null && Spans.SequenceEqual(other.Spans);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var span in Spans) hash.Add(span);
        return hash.ToHashCode();
    }

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
