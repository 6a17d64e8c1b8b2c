using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Bot.Integrations.Aws;

/// <summary>
/// The AWS query protocol (IAM): <c>POST /</c> with a form body <c>Action=Op&amp;Version=…&amp;Member=value…</c>
/// (<c>application/x-www-form-urlencoded; charset=utf-8</c>), answered with XML
/// <c>&lt;OpResponse&gt;&lt;OpResult&gt;…&lt;/OpResult&gt;&lt;ResponseMetadata/&gt;&lt;/OpResponse&gt;</c>. Errors are an XML
/// <c>ErrorResponse</c>, which <see cref="AwsErrorParser"/> reads. Callers read the result element by local names
/// (<see cref="QueryXml"/>), so the namespace never matters.
/// </summary>
internal sealed class AwsQueryRpc(HttpClient http, AwsService service, string version)
{
    public async Task<XElement> CallAsync(string operation, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new StringBuilder();
        form.Append("Action=").Append(Uri.EscapeDataString(operation)).Append("&Version=").Append(Uri.EscapeDataString(version));
        foreach (var (name, value) in parameters) form.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(form.ToString()));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        request.Content = content;

        using var response = await AwsCall.SendAsync(http, service, operation, request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var root = QueryXml.Parse(body).Root
                       ?? throw new AwsServiceException(service.Name, "EmptyResponse", $"{operation} returned no body", response.StatusCode, null);
            return QueryXml.Child(root, operation + "Result") ?? new XElement(operation + "Result");
        }
        catch (XmlException e)
        {
            throw new AwsServiceException(service.Name, "MalformedResponse", $"{operation} returned XML I could not read ({e.Message})", response.StatusCode, null);
        }
    }
}

/// <summary>Reading query-protocol XML by local names: members, <c>&lt;member&gt;</c> lists, ISO 8601 times.</summary>
internal static class QueryXml
{
    /// <summary>Parses an answer with no document type and no external entities (an answer that declares one is refused).</summary>
    public static XDocument Parse(string text)
    {
        using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XDocument.Load(reader);
    }

    public static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    public static IEnumerable<XElement> Members(XElement? parent, string listName) =>
        Child(parent, listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    public static bool Bool(XElement? parent, string name) => string.Equals(Text(parent, name), "true", StringComparison.OrdinalIgnoreCase);

    public static DateTimeOffset? Time(XElement? parent, string name) =>
        Text(parent, name) is { Length: > 0 } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
