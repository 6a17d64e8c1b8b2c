using System.Net;

namespace Bot.Sandbox.Tests;

/// <summary>What S3's SigV4 says about a body: a checked SHA-256, UNSIGNED-PAYLOAD, or an aws-chunked stream with a trailer.</summary>
public sealed class S3PayloadTests : IAsyncLifetime
{
    private const string Path = "/securebase-staging-reports-123456789012/reports/manual/chunked.txt";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task An_aws_chunked_upload_with_a_trailing_checksum_stores_the_decoded_bytes()
    {
        const string chunked = "b;chunk-signature=0000000000000000000000000000000000000000000000000000000000000000\r\nhello world\r\n0;chunk-signature=0000000000000000000000000000000000000000000000000000000000000000\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
        var put = await _sandbox.S3Async(HttpMethod.Put, Path, chunked, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", r =>
        {
            r.Content!.Headers.ContentEncoding.Add("aws-chunked");
            r.Headers.Add("x-amz-decoded-content-length", "11");
            r.Headers.Add("x-amz-trailer", "x-amz-checksum-crc32");
        });
        var get = await _sandbox.S3Async(HttpMethod.Get, Path);

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("DUoRhQ==", put.Header("x-amz-checksum-crc32"));
        Assert.Equal("hello world", get.Text);
        Assert.Equal("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", get.Header("ETag"));
    }

    [Fact]
    public async Task A_body_that_does_not_match_its_hash_and_a_missing_hash_header_are_refused()
    {
        var mismatch = await _sandbox.S3Async(HttpMethod.Put, Path, "real body", new string('a', 64));
        var missing = await _sandbox.S3Async(HttpMethod.Get, Path, tweak: r => r.Headers.Remove("x-amz-content-sha256"));

        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal("XAmzContentSHA256Mismatch", mismatch.Xml.Root!.Element("Code")!.Value);
        Assert.Equal("InvalidRequest", missing.Xml.Root!.Element("Code")!.Value);
    }
}
