namespace Bot.Sandbox.Account.Lambda;

/// <summary>
/// An immutable snapshot of a function's configuration: <c>$LATEST</c> or a published version.
/// <paramref name="Release"/> names the code (e.g. <c>1.8.0</c>): the same release has the same
/// <see cref="CodeSha256"/> in every environment, as uploading the same zip does.
/// </summary>
public sealed record FunctionVersion(
    string Version,
    string Description,
    string Runtime,
    string Handler,
    string Role,
    int MemorySize,
    int Timeout,
    IReadOnlyDictionary<string, string> Environment,
    string CodeSha256,
    long CodeSize,
    DateTimeOffset LastModified,
    string RevisionId,
    string Release)
{
    /// <summary>Same code and configuration (what PublishVersion compares to decide whether anything changed).</summary>
    public bool SameContentAs(FunctionVersion other) =>
        CodeSha256 == other.CodeSha256 && Description == other.Description && Runtime == other.Runtime &&
        Handler == other.Handler && Role == other.Role && MemorySize == other.MemorySize && Timeout == other.Timeout &&
        Environment.Count == other.Environment.Count &&
        Environment.All(kv => other.Environment.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
