using System.Security.Cryptography;
using System.Text;
using Bot.Commands.Security;
using Bot.Commands.Security.Compliance;
using Bot.Commands.Security.Feed;
using Bot.Workflows.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Tests.Security;

/// <summary><c>/sb compliance export</c>: streamed with bounded memory, its SHA-256 matches the uploaded file, recorded in the audit trail; an empty period says so; --to-s3 follows the export.</summary>
public sealed class ComplianceExportTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await SecuritySandbox.StartAsync(new() { ["Security:Compliance:PageSize"] = "100" });
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task Thirty_days_stream_a_page_at_a_time_and_the_hash_is_the_streams()
    {
        var exporter = _sb.Services.GetRequiredService<ComplianceExporter>();
        var options = _sb.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.Compliance;
        var to = _sb.Time.GetUtcNow();
        using var output = new WrittenInOrder();

        var export = await exporter.ExportAsync("securebase-prod-activity-feed", to.AddDays(-30), to, output, options, null, default);

        Assert.InRange(export.Rows, 3000, 4500);
        Assert.Equal(ActivityFeedReader.ScanMethod, export.Read.Method);
        Assert.True(export.Read.Pages >= 40, $"{export.Read.Pages} pages");
        Assert.InRange(export.MostRowsAtOnce, 1, 100);
        Assert.False(export.Read.Capped);
        Assert.True(output.Writes > export.Read.Pages, "each page is written before the next is read");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(output.ToArray())), export.Sha256);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ComplianceExporter.Header, lines[0]);
        Assert.Equal(export.Rows + 1, lines.Length);
        Assert.Contains(lines, l => l.Contains(",failed_login,", StringComparison.Ordinal) && l.EndsWith(",203.0.113.57", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_uploaded_file_has_the_SHA256_the_thread_states_and_the_export_is_in_the_audit_trail()
    {
        var reply = await _sb.RunAsync("compliance export --since 30d");

        var (upload, thread) = Assert.Single(reply.Uploads);
        var anchor = reply.Posts.Single(p => p.Message.Text.ToPlainText().Contains("Compliance export", StringComparison.Ordinal));
        var sha = Convert.ToHexStringLower(SHA256.HashData(upload.Content));
        var rows = Encoding.UTF8.GetString(upload.Content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Assert.Equal(anchor.Ts, thread);
        Assert.Contains($"{rows:N0} row(s), SHA-256 {sha}. Exported by @sam", anchor.Message.Text.ToPlainText());
        Assert.Equal(".csv", Path.GetExtension(upload.FileName));
        var record = (await _sb.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery(), default)).Single(r => r.Action == ComplianceCommand.AuditAction);
        Assert.Equal("sam", record.ActorName);
        Assert.Contains($"\"sha256\":\"{sha}\"", record.DetailsJson);
        Assert.Contains($"\"rows\":{rows}", record.DetailsJson);
    }

    [Fact]
    public async Task An_empty_period_says_so_and_uploads_nothing()
    {
        var reply = await _sb.RunAsync("compliance export --since 15m --env dev");

        Assert.Empty(reply.Uploads);
        Assert.Contains("has no activity from", reply.All());
        Assert.Contains("nothing to export, no file made", reply.All());
    }

    [Fact]
    public async Task To_S3_the_guides_export_runs_and_is_followed_to_completion()
    {
        var export = _sb.RunAsync("compliance export --to-s3 --env staging", user: "ada");
        while (!export.IsCompleted)
        {
            _sb.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }
        var reply = await export;

        Assert.Contains("Exported securebase-staging-activity-feed:", reply.All() + string.Join("\n", reply.Updates.Select(u => u.Message.Text.ToPlainText())));
    }

    [Theory]
    [InlineData("compliance", "sam", "What should I do?")]
    [InlineData("compliance export --to-s3 --since 7d", "sam", "takes no --since")]
    [InlineData("compliance export", "abe", "To export the compliance record you need to be a security reviewer or a bot admin")]
    public async Task A_bad_or_refused_export_is_answered_and_makes_nothing(string command, string user, string expected)
    {
        var reply = await _sb.RunAsync(command, user);

        Assert.Contains(expected, reply.All());
        Assert.Empty(reply.Uploads);
    }

    /// <summary>A memory stream that counts its writes.</summary>
    private sealed class WrittenInOrder : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
