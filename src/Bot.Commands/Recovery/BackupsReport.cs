using Bot.Workflows.Messages;

namespace Bot.Commands.Recovery;

/// <summary>How a line of the backups report looks: fine, worth a look, or not known (AWS did not answer).</summary>
public enum BackupTone { Ok, Info, Warning, Unknown }

/// <summary>One finding: a tone and what it says (the guide's reason for a warning included).</summary>
public sealed record BackupFinding(BackupTone Tone, Line Text);

/// <summary>One table's or the bucket's findings.</summary>
public sealed record BackupArea(string Resource, string Kind, IReadOnlyList<BackupFinding> Findings)
{
    public bool Green => Findings.All(f => f.Tone is BackupTone.Ok or BackupTone.Info);
}

/// <summary>What <c>/sb backups</c> found in one environment.</summary>
public sealed record BackupsReport(string Environment, DateTimeOffset CheckedAt, IReadOnlyList<BackupArea> Areas)
{
    public bool Green => Areas.All(a => a.Green);

    public int Warnings => Areas.Sum(a => a.Findings.Count(f => f.Tone is BackupTone.Warning or BackupTone.Unknown));
}
