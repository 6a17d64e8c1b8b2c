using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Bot.Commands.Redaction;

/// <summary>
/// IP addresses in chat answers, masked as analytics anonymization does: an IPv4 address shows its /24
/// (<c>203.0.113.57</c> → <c>203.0.113.x</c>), an IPv6 address its /48. The counts behind a view are made on the whole
/// address; only what is shown is masked. (The compliance CSV is the record and keeps them.) E-mail addresses go through
/// <see cref="Redactor"/>.
/// </summary>
public static partial class AddressMask
{
    /// <summary>One address masked; text that is not an address is redacted as any other text would be.</summary>
    public static string Ip(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return "(none)";
        if (!IPAddress.TryParse(address.Trim(), out var ip)) return Redactor.Redact(address.Trim());
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return $"{b[0]}.{b[1]}.{b[2]}.x";
        }
        var groups = ip.ToString().Split(':');
        return string.Join(':', groups.Take(3)) + ":x";
    }

    /// <summary>Text from outside (a log line, a CloudTrail event) with its secrets and e-mail addresses redacted and its IPv4 addresses masked.</summary>
    public static string Text(string? text) => Ipv4().Replace(Redactor.Redact(text), m => Ip(m.Value));

    [GeneratedRegex(@"(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.])", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Ipv4();
}
