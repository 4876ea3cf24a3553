using WebApp.Domain.Sequences;

namespace WebApp.Web.Sequences;

/// <summary>What the sequence import page says about each format (docs/sequence-import.md has the full rules).</summary>
/// <param name="Accept">File types the picker offers; null offers every file (HDFS files have no extension).</param>
public sealed record SequenceImportFormatInfo(SequenceImportFormat Format, string Title, string Explanation, string Example, string? Accept);

public static class SequenceImportFormats
{
    public static readonly IReadOnlyList<SequenceImportFormatInfo> All =
    [
        new(SequenceImportFormat.Lines, "One sequence per line",
            "Events separated by spaces, one sequence per line (e.g. DeepLog's HDFS files). Trailing spaces, Windows line ends and a missing final newline are fine; blank lines are skipped. A sequence's id is file:line, e.g. hdfs_train:17.",
            "5 5 22 11 9 26 23 21", null),
        new(SequenceImportFormat.Csv, "CSV: sequence, position or time, event",
            "One event per row, with a header. Columns named sequence_id/id, position/timestamp and event (else the first three). Rows may come in any order: each sequence is sorted by its integer positions (a repeated position is an error) or by ISO 8601 timestamps (stored in UTC).",
            "sequence_id,timestamp,event\nblk_1,2024-05-01T12:00:00Z,open\nblk_1,2024-05-01T12:00:03Z,\"read, cached\"", ".csv,.tsv,.txt"),
        new(SequenceImportFormat.Jsonl, "JSON lines",
            "One object per line with an id (string or number), its events (strings or numbers) and optionally a known label, normal or novel, kept apart for evaluation.",
            "{\"id\": \"blk_1\", \"events\": [5, 22, 11, 9], \"label\": \"novel\"}", ".jsonl,.json,.txt"),
        new(SequenceImportFormat.Labels, "Known labels",
            "Labels for sequences already in an existing dataset: sequence id, then normal or novel (or 0/1), comma- or tab-separated, header optional. Replaces earlier labels of those sequences; an unknown id is an error. An id found in both parts means the chosen part's sequence.",
            "sequence_id,label\nhdfs_test_abnormal:1,novel", ".csv,.tsv,.txt"),
    ];

    public static SequenceImportFormatInfo Of(SequenceImportFormat format) => All.Single(f => f.Format == format);
}
