using Bot.Commands.Audit;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Commands.Tests.Audit;

/// <summary>
/// Hole 1: <c>/sb config user-management set API_TOKEN=hunter2</c> was recorded word for word (only secret-named
/// <c>--flags</c> and long opaque strings were masked), so the value sat in the hash chain and in <c>/sb audit export</c>.
/// </summary>
public sealed class SecretArgumentsTests
{
    [Fact]
    public void A_secret_looking_key_value_pair_is_masked_before_it_is_recorded()
    {
        var recorded = CommandAuditRecorder.RedactArguments(["user-management", "set", "API_TOKEN=hunter2", "LOG_LEVEL=debug", "--reason", "rotate"]);

        Assert.Equal("user-management set API_TOKEN=*** LOG_LEVEL=debug --reason rotate", recorded);
    }

    private static readonly Gen<string> SecretKeys =
        from prefix in Gen.Elements("", "DB_", "STRIPE_", "x_")
        from name in Gen.Elements("PASSWORD", "api_key", "ApiKey", "SECRET", "TOKEN", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIALS", "AUTH_HEADER", "SIGNING_KEY", "DSN", "CONNECTION_STRING")
        from suffix in Gen.Elements("", "_2", "_NEW")
        select prefix + name + suffix;

    [Property(MaxTest = 500)]
    public Property The_value_of_any_secret_looking_key_never_reaches_the_record() =>
        Prop.ForAll(SecretKeys.ToArbitrary(), ArbMap.Default.ArbFor<NonEmptyString>(), (key, value) =>
        {
            var secret = "v" + value.Get.Replace(" ", "", StringComparison.Ordinal) + "9q";
            var recorded = CommandAuditRecorder.RedactArguments(["user-management", "set", $"{key}={secret}"]);
            return !recorded.Contains(secret, StringComparison.Ordinal) && recorded.Contains($"{key}=***", StringComparison.Ordinal);
        });
}
