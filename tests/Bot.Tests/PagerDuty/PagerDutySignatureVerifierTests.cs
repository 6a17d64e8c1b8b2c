using Bot.Testing;
using Bot.Tests;
using Bot.Testing.PagerDuty;
using Bot.PagerDuty;
using System.Text.Json;

namespace Bot.Tests.PagerDuty;

public class PagerDutySignatureVerifierTests
{
    private const string VectorsFile = "pagerduty/webhooks-v3/signature-vectors.json";

    public static TheoryData<string> VectorNames()
    {
        var data = new TheoryData<string>();
        foreach (var vector in Vectors()) data.Add(vector.GetProperty("name").GetString()!);
        return data;
    }

    private static IEnumerable<JsonElement> Vectors() =>
        JsonDocument.Parse(Fixtures.ReadText(VectorsFile)).RootElement.GetProperty("vectors").EnumerateArray();

    private static (string Secret, string Header, byte[] Body, bool Valid) Vector(string name)
    {
        var v = Vectors().Single(v => v.GetProperty("name").GetString() == name);
        return (v.GetProperty("secret").GetString()!, v.GetProperty("x_pagerduty_signature").GetString()!,
            Fixtures.ReadBytes("pagerduty/webhooks-v3/" + v.GetProperty("body_file").GetString()), v.GetProperty("expect_valid").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Every_published_vector_verifies_as_expected_over_the_raw_body(string name)
    {
        var (secret, header, body, valid) = Vector(name);

        var check = PagerDutySignatureVerifier.Verify(secret, header, body);

        Assert.Equal(valid ? PagerDutySignatureCheck.Valid : PagerDutySignatureCheck.Mismatch, check);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Signing_a_vectors_body_gives_its_signature_when_it_is_valid(string name)
    {
        var (secret, header, body, valid) = Vector(name);

        Assert.Equal(valid, PagerDutySignatureVerifier.Sign(secret, body) == header);
    }

    [Fact]
    public void During_a_secret_rotation_any_matching_entry_is_enough()
    {
        var (secret, header, body, _) = Vector("go-pagerduty valid");
        var oldSecretSignature = PagerDutySignatureVerifier.Sign("the-previous-secret", body);

        Assert.Equal(PagerDutySignatureCheck.Valid, PagerDutySignatureVerifier.Verify(secret, $"{oldSecretSignature},{header}", body));
        Assert.Equal(PagerDutySignatureCheck.Valid, PagerDutySignatureVerifier.Verify(secret, $"{header},{oldSecretSignature}", body));
        Assert.Equal(PagerDutySignatureCheck.Mismatch, PagerDutySignatureVerifier.Verify("yet-another-secret", $"{oldSecretSignature},{header}", body));
    }

    [Fact]
    public void The_docs_two_signature_header_is_read_as_two_entries_that_do_not_match_our_body()
    {
        var docsHeader = JsonDocument.Parse(Fixtures.ReadText(VectorsFile)).RootElement.GetProperty("_scheme").GetProperty("docs_example_header_value_two_signatures").GetString();
        var (secret, _, body, _) = Vector("go-pagerduty valid");

        Assert.Equal(PagerDutySignatureCheck.Mismatch, PagerDutySignatureVerifier.Verify(secret, docsHeader, body));
    }

    [Fact]
    public void A_body_changed_by_one_byte_no_longer_verifies()
    {
        var (secret, header, body, _) = Vector("Aldaviva TriggerIncident");
        var tampered = (byte[])body.Clone();
        tampered[^3] ^= 0x01;

        Assert.Equal(PagerDutySignatureCheck.Mismatch, PagerDutySignatureVerifier.Verify(secret, header, tampered));
    }

    [Fact]
    public void A_body_reformatted_as_pretty_json_no_longer_verifies()
    {
        var (secret, header, body, _) = Vector("Aldaviva TriggerIncident");
        var pretty = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(body).RootElement, new JsonSerializerOptions { WriteIndented = true });

        Assert.Equal(PagerDutySignatureCheck.Mismatch, PagerDutySignatureVerifier.Verify(secret, header, pretty));
    }

    [Theory]
    [InlineData(null, PagerDutySignatureCheck.Missing)]
    [InlineData("", PagerDutySignatureCheck.Missing)]
    [InlineData(",", PagerDutySignatureCheck.Malformed)]
    [InlineData("v0=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd", PagerDutySignatureCheck.Malformed)]
    [InlineData("0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd", PagerDutySignatureCheck.Malformed)]
    [InlineData("v1=zz0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd", PagerDutySignatureCheck.Mismatch)]
    [InlineData("v1=0c0b9495", PagerDutySignatureCheck.Mismatch)]
    [InlineData("v2=abc, v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd", PagerDutySignatureCheck.Valid)]
    [InlineData("v1=0C0B9495B893A39E70D1FEA2FE11FBE0A825F88B9F67846F6CC07DD2BC5476CD", PagerDutySignatureCheck.Valid)]
    public void Headers_are_read_entry_by_entry(string? header, PagerDutySignatureCheck expected)
    {
        var (secret, _, body, _) = Vector("go-pagerduty valid");

        Assert.Equal(expected, PagerDutySignatureVerifier.Verify(secret, header, body));
    }

    [Fact]
    public void Without_a_configured_secret_nothing_verifies()
    {
        var (_, header, body, _) = Vector("go-pagerduty valid");

        Assert.Equal(PagerDutySignatureCheck.NoSecretConfigured, PagerDutySignatureVerifier.Verify(null, header, body));
        Assert.Equal(PagerDutySignatureCheck.NoSecretConfigured, PagerDutySignatureVerifier.Verify("", header, body));
    }
}
