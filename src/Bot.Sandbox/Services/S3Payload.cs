using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Services;

/// <summary>
/// An S3 request body and what SigV4 says about it. S3 requires <c>x-amz-content-sha256</c>: the body's SHA-256 (checked),
/// <c>UNSIGNED-PAYLOAD</c>, or a <c>STREAMING-…</c> value for an <c>aws-chunked</c> body, which is decoded here (chunk
/// signatures are not checked, like the rest of the signature) and whose trailing checksum header is kept.
/// </summary>
internal sealed record S3Payload(byte[] Body, IReadOnlyDictionary<string, string> Trailers)
{
    private const int MaxBytes = 16 << 20;

    public static async Task<S3Payload> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var hash = request.Headers["x-amz-content-sha256"].ToString();
        if (hash.Length == 0)
            throw new S3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256", 400);
        var streaming = hash.StartsWith("STREAMING-", StringComparison.Ordinal);
        if (!streaming && hash != "UNSIGNED-PAYLOAD" && !(hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower)))
            throw new S3Error("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.", 400,
                ("ArgumentName", "x-amz-content-sha256"), ("ArgumentValue", hash));

        if (request.ContentLength > MaxBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        var raw = buffer.ToArray();
        if (!streaming)
        {
            if (hash.Length == 64 && Convert.ToHexStringLower(SHA256.HashData(raw)) != hash)
                throw new S3Error("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400,
                    ("ClientComputedContentSHA256", hash), ("S3ComputedContentSHA256", Convert.ToHexStringLower(SHA256.HashData(raw))));
            return new S3Payload(raw, new Dictionary<string, string>());
        }
        var (body, trailers) = DecodeChunks(raw);
        if (long.TryParse(request.Headers["x-amz-decoded-content-length"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var expected) && expected != body.Length)
            throw new S3Error("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header", 400);
        return new S3Payload(body, trailers);
    }

    /// <summary><c>hex-size[;chunk-signature=…]\r\n data \r\n</c> … <c>0…\r\n</c>, then trailer lines <c>name:value\r\n</c> and <c>\r\n</c>.</summary>
    private static (byte[] Body, Dictionary<string, string> Trailers) DecodeChunks(byte[] raw)
    {
        using var body = new MemoryStream();
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var at = 0;
        while (true)
        {
            var line = ReadLine(raw, ref at) ?? throw Broken();
            var size = line.Split(';')[0].Trim();
            if (!int.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length) || length < 0 || at + length > raw.Length)
                throw Broken();
            if (length == 0) break;
            body.Write(raw, at, length);
            at += length;
            if (ReadLine(raw, ref at) is not "") throw Broken();
        }
        while (ReadLine(raw, ref at) is { Length: > 0 } trailer)
        {
            var colon = trailer.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) trailers[trailer[..colon].Trim()] = trailer[(colon + 1)..].Trim();
        }
        return (body.ToArray(), trailers);
    }

    private static string? ReadLine(byte[] raw, ref int at)
    {
        if (at >= raw.Length) return null;
        var end = Array.IndexOf(raw, (byte)'\n', at);
        if (end < 0) end = raw.Length;
        var line = Encoding.ASCII.GetString(raw, at, end - at).TrimEnd('\r');
        at = end + 1;
        return line;
    }

    private static S3Error Broken() => new("IncompleteBody", "The aws-chunked request body could not be decoded.", 400);
    private static S3Error TooLarge() => new("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size (16 MB in the sandbox).", 400);
}
