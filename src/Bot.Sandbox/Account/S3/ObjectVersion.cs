using System.Security.Cryptography;
using System.Text;

namespace Bot.Sandbox.Account.S3;

/// <summary>
/// One version of an object in a reports bucket, or a delete marker. A version's content is either what a PutObject
/// sent or generated from the seed when first read (a small PDF-shaped report), so the seeded bucket costs little
/// memory. The ETag is the MD5 of the content, as S3 computes it for a single-part upload.
/// </summary>
internal sealed class ObjectVersion
{
    private readonly Lazy<byte[]> _content;
    private readonly Lazy<string> _etag;

    private ObjectVersion(string key, string versionId, bool isDeleteMarker, DateTimeOffset lastModified, long size, string contentType, Func<byte[]> content)
    {
        Key = key;
        VersionId = versionId;
        IsDeleteMarker = isDeleteMarker;
        LastModified = DateTimeOffset.FromUnixTimeMilliseconds(lastModified.ToUnixTimeSeconds() * 1000);
        Size = size;
        ContentType = contentType;
        _content = new Lazy<byte[]>(content);
#pragma warning disable CA5351 // S3 defines a single-part upload's ETag as the MD5 of its content; nothing here is secured by it.
        _etag = new Lazy<string>(() => Convert.ToHexStringLower(MD5.HashData(_content.Value)));
#pragma warning restore CA5351
    }

    public string Key { get; }

    /// <summary>S3's version id, or <c>null</c> for an object written while versioning was off or suspended.</summary>
    public string VersionId { get; }

    public bool IsDeleteMarker { get; }
    public DateTimeOffset LastModified { get; }
    public long Size { get; }
    public string ContentType { get; }
    public byte[] Content => _content.Value;

    /// <summary>The ETag without quotes.</summary>
    public string ETag => _etag.Value;

    public static ObjectVersion Uploaded(string key, string versionId, DateTimeOffset at, byte[] content, string contentType) =>
        new(key, versionId, false, at, content.Length, contentType, () => content);

    public static ObjectVersion DeleteMarker(string key, string versionId, DateTimeOffset at) =>
        new(key, versionId, true, at, 0, "", () => []);

    /// <summary>A generated report of <paramref name="size"/> bytes: a PDF header naming it, then filler.</summary>
    public static ObjectVersion Generated(string key, string versionId, DateTimeOffset at, long size, int seed) =>
        new(key, versionId, false, at, size, key.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/pdf", () =>
        {
            var bytes = new byte[size];
            var header = Encoding.ASCII.GetBytes($"%PDF-1.7\n% SecureBase report {key} version {versionId} generated {at:O}\n");
            header.AsSpan(0, (int)Math.Min(header.Length, size)).CopyTo(bytes);
            var state = Deterministic.Hash(key + versionId) ^ (ulong)seed;
            for (var i = header.Length; i < size; i++)
            {
                state = Deterministic.Mix(state);
                bytes[i] = (byte)(32 + state % 95);
            }
            return bytes;
        });
}

/// <summary>A lifecycle rule as GetBucketLifecycleConfiguration returns it (the subset the reports buckets use).</summary>
internal sealed record LifecycleRule(string Id, string Prefix, bool Enabled, int? ExpirationDays, int? NoncurrentDays, int? AbortIncompleteDays);
