using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Slack;
using System.Text;
using System.Text.Json;

namespace Bot.Tests.Slack;

public class SlackSignatureVerifierTests
{
    private static readonly JsonElement Example = JsonDocument.Parse(Fixtures.ReadText("slack/signature/docs-example.json")).RootElement;
    private static readonly string Secret = Example.GetProperty("signing_secret").GetString()!;
    private static readonly string Timestamp = Example.GetProperty("headers").GetProperty("X-Slack-Request-Timestamp").GetString()!;
    private static readonly string Signature = Example.GetProperty("headers").GetProperty("X-Slack-Signature").GetString()!;
    private static readonly byte[] Body = Fixtures.ReadBytes("slack/signature/docs-example.body.txt");
    private static readonly DateTimeOffset ExampleTime = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Fixture_body_file_is_the_documented_body()
    {
        Assert.Equal(Example.GetProperty("body").GetString(), Encoding.UTF8.GetString(Body));
    }

    [Fact]
    public void Slacks_documented_example_verifies()
    {
        Assert.Equal(SignatureCheck.Valid, SlackSignatureVerifier.Verify(Secret, Timestamp, Signature, Body, ExampleTime));
    }

    [Fact]
    public void Signing_the_example_reproduces_the_documented_signature()
    {
        Assert.Equal(Example.GetProperty("expected_signature").GetString(), SlackSignatureVerifier.Sign(Secret, Timestamp, Body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(-1)]
    public void A_flipped_byte_in_the_body_fails(int index)
    {
        var tampered = (byte[])Body.Clone();
        var i = index < 0 ? tampered.Length - 1 : index;
        tampered[i] ^= 0x01;
        Assert.Equal(SignatureCheck.BadSignature, SlackSignatureVerifier.Verify(Secret, Timestamp, Signature, tampered, ExampleTime));
    }

    [Fact]
    public void A_flipped_hex_digit_in_the_signature_fails()
    {
        var chars = Signature.ToCharArray();
        chars[^1] = chars[^1] == '3' ? '4' : '3';
        Assert.Equal(SignatureCheck.BadSignature, SlackSignatureVerifier.Verify(Secret, Timestamp, new string(chars), Body, ExampleTime));
    }

    [Fact]
    public void An_uppercase_signature_is_not_the_same_signature()
    {
        Assert.Equal(SignatureCheck.BadSignature, SlackSignatureVerifier.Verify(Secret, Timestamp, "v0=" + Signature[3..].ToUpperInvariant(), Body, ExampleTime));
    }

    [Fact]
    public void Another_secret_fails()
    {
        Assert.Equal(SignatureCheck.BadSignature, SlackSignatureVerifier.Verify(Secret + "x", Timestamp, Signature, Body, ExampleTime));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void A_timestamp_more_than_five_minutes_away_is_stale(int secondsLater)
    {
        Assert.Equal(SignatureCheck.StaleTimestamp, SlackSignatureVerifier.Verify(Secret, Timestamp, Signature, Body, ExampleTime.AddSeconds(secondsLater)));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(-300)]
    public void A_timestamp_just_inside_the_window_verifies(int secondsLater)
    {
        Assert.Equal(SignatureCheck.Valid, SlackSignatureVerifier.Verify(Secret, Timestamp, Signature, Body, ExampleTime.AddSeconds(secondsLater)));
    }

    [Theory]
    [InlineData(null, "v0=abc")]
    [InlineData("1531420618", null)]
    [InlineData("", "")]
    public void Missing_headers_fail(string? timestamp, string? signature)
    {
        Assert.Equal(SignatureCheck.MissingHeaders, SlackSignatureVerifier.Verify(Secret, timestamp, signature, Body, ExampleTime));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1531420618")]
    [InlineData("1531420618.5")]
    [InlineData("99999999999999999999")]
    public void A_malformed_timestamp_fails(string timestamp)
    {
        Assert.Equal(SignatureCheck.MalformedTimestamp, SlackSignatureVerifier.Verify(Secret, timestamp, Signature, Body, ExampleTime));
    }

    [Fact]
    public void Without_a_configured_secret_nothing_verifies()
    {
        Assert.Equal(SignatureCheck.NoSecretConfigured, SlackSignatureVerifier.Verify(null, Timestamp, Signature, Body, ExampleTime));
    }
}
