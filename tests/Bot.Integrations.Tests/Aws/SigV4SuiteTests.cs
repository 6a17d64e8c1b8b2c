using Bot.Testing.Aws;
using System.Text;
using System.Text.Json;
using Bot.Integrations.Aws.Signing;
using Bot.Testing;

namespace Bot.Integrations.Tests.Aws;

/// <summary>Every case of botocore's copy of the AWS SigV4 test suite, compared text for text.</summary>
public sealed class SigV4SuiteTests
{
    private const string Suite = "sigv4/botocore-aws4_testsuite";
    private static readonly AwsCredentialSet Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset SigningTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    // The suite signs get-vanilla-with-session-token with this token in the credentials (its .req lacks the header).
    private const string SuiteSessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

    public static TheoryData<string> Cases()
    {
        var root = Fixtures.PathOf(Suite);
        var data = new TheoryData<string>();
        foreach (var req in Directory.EnumerateFiles(root, "*.req", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(root, Path.ChangeExtension(req, null)).Replace('\\', '/'));
        return data;
    }

    [Fact]
    public void The_suite_is_all_there()
    {
        // 24 top-level cases + 8 normalize-path + 2 post-sts-token.
        Assert.Equal(34, Cases().Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Canonical_request_string_to_sign_and_authorization_match_the_suite(string testCase)
    {
        var basePath = Path.Combine(Fixtures.PathOf(Suite), testCase);
        var request = ParseRequest(File.ReadAllBytes(basePath + ".req"));
        var credentials = testCase.EndsWith("get-vanilla-with-session-token", StringComparison.Ordinal)
            ? Credentials with { SessionToken = SuiteSessionToken }
            : Credentials;

        var result = SigV4Signer.Sign(request, credentials, "us-east-1", "service", SigningTime);

        Assert.Equal(File.ReadAllText(basePath + ".creq"), result.CanonicalRequest);
        Assert.Equal(File.ReadAllText(basePath + ".sts"), result.StringToSign);
        Assert.Equal(File.ReadAllText(basePath + ".authz"), result.Authorization);
    }

    [Fact]
    public void Signing_keys_match_the_documentation_examples()
    {
        using var doc = JsonDocument.Parse(Fixtures.ReadText("sigv4/aws-docs-examples.json"));
        var secret = doc.RootElement.GetProperty("credentials").GetProperty("secret_access_key").GetString()!;
        var examples = doc.RootElement.GetProperty("signing_key_examples").EnumerateArray().ToList();
        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            var key = SigV4Signer.SigningKey(secret,
                example.GetProperty("date").GetString()!,
                example.GetProperty("region").GetString()!,
                example.GetProperty("service").GetString()!);
            Assert.Equal(example.GetProperty("kSigning_hex").GetString(), Convert.ToHexStringLower(key));
        }
    }

    [Fact]
    public void Path_normalization_drops_dot_segments_and_repeated_slashes()
    {
        Assert.Equal("/", SigV4Signer.NormalizePath("/example1/example2/../.."));
        Assert.Equal("/example/", SigV4Signer.NormalizePath("//example//"));
        Assert.Equal("/a/b", SigV4Signer.NormalizePath("/a/./b"));
    }

    [Fact]
    public void An_already_encoded_path_is_encoded_again_for_non_S3_services()
    {
        Assert.Equal("/2015-03-31/functions/arn%253Aaws%253Alambda/configuration",
            SigV4Signer.CanonicalPath("/2015-03-31/functions/arn%3Aaws%3Alambda/configuration", normalize: true));
    }

    /// <summary>Reads a raw <c>.req</c>: request line, headers (with folded continuation lines), blank line, body.</summary>
    internal static SignableRequest ParseRequest(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var lines = text.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? target : target[..queryStart];
        var query = queryStart < 0 ? "" : target[(queryStart + 1)..];

        var headers = new List<KeyValuePair<string, string>>();
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var line = lines[i];
            if (char.IsWhiteSpace(line[0]) && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + "\n" + line);
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }
        var body = i < lines.Length ? string.Join('\n', lines.Skip(i + 1)) : "";
        return new SignableRequest(method, path, query, headers, Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public void The_documentation_ListUsers_example_signs_to_the_published_signature()
    {
        using var doc = JsonDocument.Parse(Fixtures.ReadText("sigv4/aws-docs-examples.json"));
        var example = doc.RootElement.GetProperty("iam_list_users_example");
        var req = example.GetProperty("request");
        var url = new Uri(req.GetProperty("url").GetString()!);
        var headers = req.GetProperty("headers").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();
        var request = new SignableRequest(req.GetProperty("method").GetString()!, url.AbsolutePath, url.Query.TrimStart('?'), headers, Array.Empty<byte>());

        var result = SigV4Signer.Sign(request, Credentials, "us-east-1", "iam", SigningTime);

        Assert.Equal(example.GetProperty("canonical_request").GetString(), result.CanonicalRequest);
        Assert.Equal(example.GetProperty("string_to_sign").GetString(), result.StringToSign);
        Assert.Equal(example.GetProperty("signature").GetString(), result.Signature);
        Assert.Equal(example.GetProperty("authorization").GetString(), result.Authorization);
    }
}
