using Bot.Testing;
using Bot.Tests;
using Bot.Testing.PagerDuty;
using Bot.PagerDuty;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Tests.PagerDuty;

/// <summary>PagerDuty's webhook signature, checked whatever the header holds: only a <c>v1=</c> entry made with the secret over these exact bytes passes, among any others.</summary>
public sealed class PagerDutySignatureVerifierPropertyTests
{
    private const string Secret = "HvPtlQNKMPpHSSqJpCdndXfo7HnGXa1pnH6w5axpxLFn9aRBNBGh4e8/HlonK5mz";

    [Property(MaxTest = 1000)]
    public bool Any_header_is_checked_without_throwing_and_never_passes_without_the_secret(string? header, byte[] body) =>
        PagerDutySignatureVerifier.Verify(Secret, header, body) != PagerDutySignatureCheck.Valid
        || header!.Contains(PagerDutySignatureVerifier.Sign(Secret, body), StringComparison.Ordinal);

    /// <summary>During a secret rotation PagerDuty signs with both secrets; other versions' entries are skipped.</summary>
    [Property(MaxTest = 300)]
    public Property The_right_entry_among_others_passes_and_a_changed_body_fails() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().Where(b => b.Length > 0).ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), (body, position) =>
        {
            var entries = new List<string> { PagerDutySignatureVerifier.Sign("the-old-secret", body), "v2=abc", " v1=" + new string('0', 64) + " " };
            entries.Insert(position, PagerDutySignatureVerifier.Sign(Secret, body));
            var header = string.Join(",", entries);
            var changed = (byte[])body.Clone();
            changed[0] ^= 0x80;
            return PagerDutySignatureVerifier.Verify(Secret, header, body) == PagerDutySignatureCheck.Valid
                && PagerDutySignatureVerifier.Verify(Secret, header, changed) == PagerDutySignatureCheck.Mismatch;
        });
}
