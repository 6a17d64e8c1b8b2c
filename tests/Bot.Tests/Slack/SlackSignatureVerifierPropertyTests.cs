using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Slack;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Tests.Slack;

/// <summary>Slack's request signature, checked whatever the headers hold: only the signing secret's own signature of these exact bytes, sent within five minutes, passes.</summary>
public sealed class SlackSignatureVerifierPropertyTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static string Stamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Property(MaxTest = 1000)]
    public bool Any_headers_are_checked_without_throwing_and_never_pass_without_the_secret(string? timestamp, string? signature, byte[] body) =>
        SlackSignatureVerifier.Verify(Secret, timestamp, signature, body, Now) != SignatureCheck.Valid
        || signature == SlackSignatureVerifier.Sign(Secret, timestamp!, body);

    [Property(MaxTest = 300)]
    public bool A_body_signed_with_the_secret_within_the_window_passes(byte[] body, short secondsAgo)
    {
        var at = Now.AddSeconds(-(secondsAgo % 300));
        return SlackSignatureVerifier.Verify(Secret, Stamp(at), SlackSignatureVerifier.Sign(Secret, Stamp(at), body), body, Now) == SignatureCheck.Valid;
    }

    [Property(MaxTest = 300)]
    public Property Any_change_to_the_body_the_secret_or_the_time_fails() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().Where(b => b.Length > 0).ToArbitrary(), Gen.Choose(301, int.MaxValue).ToArbitrary(), (body, late) =>
        {
            var stamp = Stamp(Now);
            var signature = SlackSignatureVerifier.Sign(Secret, stamp, body);
            var changed = (byte[])body.Clone();
            changed[^1] ^= 0x01;
            return SlackSignatureVerifier.Verify(Secret, stamp, signature, changed, Now) == SignatureCheck.BadSignature
                && SlackSignatureVerifier.Verify(Secret + "x", stamp, signature, body, Now) == SignatureCheck.BadSignature
                && SlackSignatureVerifier.Verify(Secret, stamp, signature, body, Now.AddSeconds(late)) == SignatureCheck.StaleTimestamp;
        });
}
