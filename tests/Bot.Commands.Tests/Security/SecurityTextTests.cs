using Bot.Commands.Cloud;
using Bot.Commands.Redaction;
using Bot.Commands.Routing;
using Bot.Commands.Security;
using Bot.Commands.Security.Rotation;

namespace Bot.Commands.Tests.Security;

/// <summary>The small rules the security views stand on: what is SecureBase's, who reads a secret, how addresses and rotation errors are shown.</summary>
public sealed class SecurityTextTests
{
    private static readonly SecureBaseOptions Options = Configured();

    private static SecureBaseOptions Configured()
    {
        var o = new SecureBaseOptions();
        o.ApplyDefaults();
        return o;
    }

    [Theory]
    [InlineData("jwt-secret", null, "prod", "securebase-prod-jwt-secret")]
    [InlineData("jwt-secret", "staging", "staging", "securebase-staging-jwt-secret")]
    [InlineData("securebase-dev-api-keys", null, "dev", "securebase-dev-api-keys")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:securebase-prod-db-credentials-AbC123", null, "prod", "securebase-prod-db-credentials")]
    public void A_secure_base_secret_is_named_in_full_short_or_by_ARN(string wanted, string? env, string expectedEnv, string expected)
    {
        var (resolved, secret) = SecureBaseNames.Secret(Options, wanted, env);

        Assert.Equal((expectedEnv, expected), (resolved.Name, secret));
    }

    [Theory]
    [InlineData("securebase-qa-jwt-secret", null)]
    [InlineData("payroll/db", null)]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:payroll-AbC123", null)]
    [InlineData("securebase-staging-jwt-secret", "prod")]
    [InlineData("securebase-prod-", null)]
    public void Anything_else_is_refused(string wanted, string? env) =>
        Assert.ThrowsAny<UserFacingException>(() => SecureBaseNames.Secret(Options, wanted, env));

    [Theory]
    [InlineData("securebase-prod-jwt-secret", true)]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:securebase-prod-jwt-secret-AbC123", true)]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:securebase-prod-jwt-secret", true)]
    [InlineData("securebase-prod-jwt-secret-old", false)]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:securebase-prod-jwt-secret-old-AbC123", false)]
    [InlineData("hunter2", false)]
    public void A_variable_names_a_secret_by_its_name_or_ARN_and_only_that_secret(string value, bool names) =>
        Assert.Equal(names, SecretReaders.Names(value, "securebase-prod-jwt-secret", "arn:aws:secretsmanager:us-east-1:123456789012:secret:securebase-prod-jwt-secret-AbC123"));

    [Theory]
    [InlineData("203.0.113.57", "203.0.113.x")]
    [InlineData("2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3:x")]
    [InlineData("", "(none)")]
    [InlineData("ana@example.com", "[REDACTED-EMAIL]")]
    public void An_address_shows_its_network_only(string address, string shown) => Assert.Equal(shown, AddressMask.Ip(address));

    [Fact]
    public void Text_keeps_versions_and_masks_addresses_and_mail() =>
        Assert.Equal("login from 198.51.100.x by [REDACTED-EMAIL] (release 1.8.0)", AddressMask.Text("login from 198.51.100.23 by ana@example.com (release 1.8.0)"));

    [Fact]
    public void A_rotation_error_line_drops_the_log_prefix_names_the_step_and_shows_the_secret_by_name()
    {
        const string secret = "securebase-prod-jwt-secret";
        var tabbed = RotationErrorLine.Read("[ERROR]\t2026-03-10T14:07:30.123Z\t1b21bf49-7db2\ttestSecret: Unable to sign in with the pending secret of secret arn arn:aws:secretsmanager:us-east-1:123456789012:secret:securebase-prod-jwt-secret-AbC123", secret);
        var unhandled = RotationErrorLine.Read("[ERROR] ValueError: setSecret: password=hunter2 rejected\nTraceback (most recent call last):", secret);

        Assert.Equal("testSecret: Unable to sign in with the pending secret of secret arn securebase-prod-jwt-secret", tabbed.ToString());
        Assert.Equal("setSecret: password=[REDACTED] rejected (ValueError)", unhandled.ToString());
    }
}
