using WebApp.Domain.RelationExtraction;

namespace WebApp.Web.RelationExtraction;

/// <summary>What the import wizard says about each format.</summary>
public sealed record ImportFormatInfo(
    RelationImportFormat Format, string Title, string Explanation, string Example, string Accept, bool TakesAliases,
    string? AliasesExample = null);

public static class ImportFormats
{
    public static readonly IReadOnlyList<ImportFormatInfo> All =
    [
        new(RelationImportFormat.Relations, "Relations (TSV)",
            "The relations the project extracts, one per line: key, name and the labelling guideline experts see. Import these first; NA exists already.",
            "P26\tspouse\tThe head and the tail are or were married.", ".tsv,.txt", false),
        new(RelationImportFormat.KnowledgeBase, "Knowledge base (TSV or CSV)",
            "Facts, one per line: head id, head name, relation key, tail id, tail name. An optional aliases file (entity id, alias) adds further names for dictionary matching.",
            "Q42\tDouglas Adams\tP19\tQ350\tCambridge", ".tsv,.csv,.txt", true,
            "Q42\tDouglas Noël Adams"),
        new(RelationImportFormat.Corpus, "Corpus (text or JSONL)",
            "Unlabelled text: plain text with documents separated by blank lines, or JSONL with id, title and text. Entities are found by dictionary matching against the knowledge base, so import it after the knowledge base.",
            "{\"id\": \"d1\", \"title\": \"Douglas Adams\", \"text\": \"Douglas Adams was born in Cambridge.\"}", ".txt,.jsonl,.json", false),
        new(RelationImportFormat.OpenNre, "OpenNRE (JSONL)",
            "A labelled dataset in OpenNRE's format (e.g. NYT10, Wiki80): tokens or text, head and tail with name, id and token positions, and the relation (kept as gold when present).",
            "{\"token\": [\"Douglas\", \"Adams\", \"was\", \"born\", \"in\", \"Cambridge\", \".\"], \"h\": {\"name\": \"Douglas Adams\", \"id\": \"Q42\", \"pos\": [0, 2]}, \"t\": {\"name\": \"Cambridge\", \"id\": \"Q350\", \"pos\": [5, 6]}, \"relation\": \"P19\"}",
            ".jsonl,.json,.txt", false),
        new(RelationImportFormat.FewRel, "FewRel (JSON)",
            "A FewRel file: one JSON object mapping each relation id to its instances, each with tokens and head and tail (name, id, token positions).",
            "{\"P19\": [{\"tokens\": [\"Douglas\", \"Adams\", \"was\", \"born\", \"in\", \"Cambridge\"], \"h\": [\"douglas adams\", \"Q42\", [[0, 1]]], \"t\": [\"cambridge\", \"Q350\", [[5]]]}]}",
            ".json", false),
    ];

    public static ImportFormatInfo Of(RelationImportFormat format) => All.Single(f => f.Format == format);

    /// <summary>A format's title from its JSON form (a number or a name, as job parameters hold it).</summary>
    public static string Describe(string format)
    {
        if (int.TryParse(format, out var number) && Enum.IsDefined((RelationImportFormat)number)) return Of((RelationImportFormat)number).Title;
        return Enum.TryParse<RelationImportFormat>(format, ignoreCase: true, out var parsed) ? Of(parsed).Title : format;
    }
}
