using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Bot.Sandbox.Protocols;

/// <summary>
/// Writes an operation's result in the AWS query protocol's XML: <c>&lt;OpResponse xmlns=…&gt;&lt;OpResult&gt;…</c>
/// then <c>ResponseMetadata/RequestId</c>. Lists are <c>&lt;member&gt;</c> elements, maps
/// <c>&lt;entry&gt;&lt;key/&gt;&lt;value/&gt;&lt;/entry&gt;</c>, timestamps ISO 8601, doubles with a decimal point;
/// members keep the order of the result (the model's <c>xmlOrder</c>), and absent members are left out.
/// </summary>
internal static class QueryXmlWriter
{
    public static string Response(string operation, JsonElement result, QueryShapes shapes, string requestId)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true }))
        {
            xml.WriteStartElement(operation + "Response", shapes.XmlNamespace);
            xml.WriteStartElement(operation + "Result");
            foreach (var member in result.EnumerateObject()) Write(xml, member.Name, member.Value, shapes, listOf: null);
            xml.WriteEndElement();
            xml.WriteStartElement("ResponseMetadata");
            xml.WriteElementString("RequestId", requestId);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        return text.ToString();
    }

    /// <summary>The query protocol's error document, with the awsQueryError code.</summary>
    public static string Error(string type, string code, string message, string requestId, QueryShapes shapes)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true }))
        {
            xml.WriteStartElement("ErrorResponse", shapes.XmlNamespace);
            xml.WriteStartElement("Error");
            xml.WriteElementString("Type", type);
            xml.WriteElementString("Code", code);
            xml.WriteElementString("Message", message);
            xml.WriteEndElement();
            xml.WriteElementString("RequestId", requestId);
            xml.WriteEndElement();
        }
        return text.ToString();
    }

    /// <param name="listOf">For a list item, the list's member name (its items take its type).</param>
    private static void Write(XmlWriter xml, string name, JsonElement value, QueryShapes shapes, string? listOf)
    {
        var typeName = listOf ?? name;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.Array:
                xml.WriteStartElement(name);
                foreach (var item in value.EnumerateArray()) Write(xml, "member", item, shapes, name);
                xml.WriteEndElement();
                return;
            case JsonValueKind.Object when listOf is null && shapes.MapOutputs.Contains(name):
                xml.WriteStartElement(name);
                foreach (var entry in value.EnumerateObject())
                {
                    xml.WriteStartElement("entry");
                    xml.WriteElementString("key", entry.Name);
                    Write(xml, "value", entry.Value, shapes, name);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
                return;
            case JsonValueKind.Object:
                xml.WriteStartElement(name);
                foreach (var member in value.EnumerateObject()) Write(xml, member.Name, member.Value, shapes, listOf: null);
                xml.WriteEndElement();
                return;
            case JsonValueKind.Number when shapes.TimestampOutputs.Contains(typeName):
                xml.WriteElementString(name, Iso8601(value.GetDouble()));
                return;
            case JsonValueKind.Number when shapes.DoubleOutputs.Contains(typeName):
                xml.WriteElementString(name, Double(value.GetDouble()));
                return;
            case JsonValueKind.Number:
                xml.WriteElementString(name, value.GetRawText());
                return;
            case JsonValueKind.True or JsonValueKind.False:
                xml.WriteElementString(name, value.GetBoolean() ? "true" : "false");
                return;
            default:
                xml.WriteElementString(name, value.GetString());
                return;
        }
    }

    /// <summary>Epoch seconds → <c>2026-03-10T14:05:00Z</c>, with milliseconds when there are any.</summary>
    private static string Iso8601(double epochSeconds)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(epochSeconds * 1000)).UtcDateTime;
        return t.ToString(t.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>A double as CloudWatch writes it: <c>3.0</c>, <c>0.25</c>.</summary>
    private static string Double(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(d) && !text.Contains('.') && !text.Contains('E') ? text + ".0" : text;
    }
}
