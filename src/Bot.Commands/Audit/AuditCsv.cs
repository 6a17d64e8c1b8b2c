using System.Globalization;
using System.Text;
using Bot.Workflows.Audit;

namespace Bot.Commands.Audit;

/// <summary>The audit CSV (RFC 4180; cells that a spreadsheet would run as a formula are prefixed with <c>'</c>).</summary>
public static class AuditCsv
{
    public const string Header = "sequence,time_utc,actor_id,actor_name,action,aggregate_type,aggregate_id,before,after,request_id,details,previous_hash,hash";

    public static string Write(IEnumerable<AuditRecord> records)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var r in records)
        {
            string[] cells =
            [
                r.Sequence.ToString(CultureInfo.InvariantCulture), r.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                r.ActorId, r.ActorName, r.Action, r.AggregateType ?? "", r.AggregateId ?? "", r.Before ?? "", r.After ?? "",
                r.RequestId ?? "", r.DetailsJson ?? "", r.PreviousHash, r.Hash,
            ];
            csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        }
        return csv.ToString();
    }

    /// <summary>One CSV cell: quoted when it holds a comma, a quote or a line break; a leading <c>= + - @</c>, tab or CR is prefixed with <c>'</c>.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
