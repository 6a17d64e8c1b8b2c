using Bot.Testing;
using Bot.Commands.Redaction;
using FsCheck.Xunit;

namespace Bot.Commands.Tests.Cloud;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("using key AKIAIOSFODNN7EXAMPLE for upload", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("raw secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in text", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature-x", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("calling slack with xoxb-1234-5678-abcdefghijkl", "xoxb-1234-5678-abcdefghijkl")]
    [InlineData("login failed password=hunter2 for user", "hunter2")]
    [InlineData("{\"user\":\"bob\",\"password\":\"s3cr3t!\"}", "s3cr3t!")]
    [InlineData("db_password: 'correct horse'", "correct horse")]
    [InlineData("api_key=abc123def456", "abc123def456")]
    [InlineData("session token: FQoGZXIvYXdzEJr", "FQoGZXIvYXdzEJr")]
    [InlineData("User jane.doe+ops@example.co.uk not found", "jane.doe+ops@example.co.uk")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA")]
    [InlineData("github token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    public void Secrets_and_addresses_are_masked(string line, string secret)
    {
        var redacted = Redactor.Redact(line);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains("[REDACTED", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ERROR Timeout after 3000 ms calling DynamoDB GetItem")]
    [InlineData("commit 3f786850e387550fdab836ed7e6dc881de23001b deployed")]
    [InlineData("RequestId: 7f9c0d2e-1234-4b5c-9def-0123456789ab Duration: 12.3 ms")]
    [InlineData("author=alice status=500 path=/users/42")]
    public void Ordinary_log_lines_are_left_alone(string line)
    {
        var redacted = Redactor.Redact(line);
        Assert.Equal(line, redacted);
    }

    [Fact]
    public void The_key_name_is_kept_so_the_reader_knows_what_was_hidden()
    {
        Assert.Equal("login failed password=[REDACTED] for user", Redactor.Redact("login failed password=hunter2 for user"));
        Assert.Equal("{\"password\": \"[REDACTED]\"}", Redactor.Redact("{\"password\": \"x\"}"));
        Assert.Equal("key AKIA[REDACTED] used", Redactor.Redact("key AKIAIOSFODNN7EXAMPLE used"));
    }

    [Property(MaxTest = 300)]
    public bool Redaction_never_throws_and_is_idempotent(string? text)
    {
        var once = Redactor.Redact(text);
        return Redactor.Redact(once) == once;
    }
}
