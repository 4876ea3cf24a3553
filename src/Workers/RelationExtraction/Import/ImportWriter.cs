using System.Buffers.Binary;
using System.Data;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using WebApp.Domain;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.Text;
using WebApp.Workers.Import;

namespace WebApp.Workers.RelationExtraction.Import;

/// <summary>
/// Writes one import into a project inside the caller's transaction: ids come from the identity sequences in
/// blocks, rows are buffered and written with binary COPY, duplicates of knowledge-base rows are dropped by
/// the database (ON CONFLICT DO NOTHING). <see cref="CompleteAsync"/> writes the rest, updates bag sizes and
/// relabels the project by distant supervision. Nothing is committed here: a failure anywhere rolls it all back.
/// </summary>
public sealed class ImportWriter
{
    /// <summary>First key of the advisory lock that serialises the imports of one project (second key: the project id).</summary>
    public const int ImportLockClass = 0x52454C49; // "RELI"

    private const int FlushThreshold = 20_000;

    private readonly AppDbContext _db;
    private readonly NpgsqlConnection _connection;
    private readonly Dictionary<string, int> _relations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _entityIds = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (string KbId, string Name)> _entities = [];
    private readonly Dictionary<(long Head, long Tail), long> _bags = [];
    // Keyed by a 128-bit hash of the token sequence, so memory does not grow with sentence length.
    private readonly Dictionary<UInt128, long> _sentencesByTokens = [];
    private readonly Dictionary<(long Sentence, long Entity, int Start, int End), long> _mentions = [];

    private readonly IdBlocks _entityIdBlocks = new("KbEntities");
    private readonly IdBlocks _documentIds = new("Documents");
    private readonly IdBlocks _sentenceIds = new("Sentences");
    private readonly IdBlocks _mentionIds = new("EntityMentions");
    private readonly IdBlocks _bagIds = new("Bags");
    private readonly IdBlocks _candidateIds = new("Candidates");

    private readonly List<(long Id, string KbId, string Name)> _newEntities = [];
    private readonly List<(long EntityId, string Alias)> _newAliases = [];
    private readonly List<(long Head, int Relation, long Tail)> _newFacts = [];
    private readonly List<(long Id, string? ExternalId, string Title)> _newDocuments = [];
    private readonly List<(long Id, long DocumentId, int Index, string[] Tokens)> _newSentences = [];
    private readonly List<(long Id, long SentenceId, long EntityId, int Start, int End)> _newMentions = [];
    private readonly List<(long Id, long Head, long Tail, DataSplit Split)> _newBags = [];
    private readonly List<(long Id, long SentenceId, long HeadMention, long TailMention, long BagId, string? ExternalId)> _newCandidates = [];
    private readonly List<(long CandidateId, int RelationTypeId)> _newGold = [];
    private bool _factsTable;
    private bool _aliasesTable;
    private long _factRows;
    private long _aliasRows;

    private ImportWriter(AppDbContext db, int projectId, Guid? importRunId)
    {
        _db = db;
        _connection = (NpgsqlConnection)db.Database.GetDbConnection();
        ProjectId = projectId;
        ImportRunId = importRunId;
    }

    public int ProjectId { get; }
    public Guid? ImportRunId { get; }
    public int NaRelationTypeId { get; private set; }
    public ImportCounts Counts { get; } = new();

    /// <summary>Entities of the project (existing and new) by KB id.</summary>
    public IReadOnlyDictionary<string, long> EntityIds => _entityIds;

    /// <summary>
    /// Locks the project's imports, checks the project, makes sure NA exists, and loads relation types,
    /// entities and bags. Must run inside a transaction begun on <paramref name="db"/>.
    /// </summary>
    public static async Task<ImportWriter> BeginAsync(AppDbContext db, int projectId, Guid? importRunId, string fileName,
        CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An import must run inside a transaction: it is all or nothing.");
        }
        var writer = new ImportWriter(db, projectId, importRunId);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ImportLockClass}, {projectId})", ct);
        if (!await db.RelationProjects.AnyAsync(p => p.Id == projectId, ct))
        {
            throw new ImportException(fileName, null, $"relation project {projectId} does not exist");
        }
        writer.NaRelationTypeId = await RelationProjects.EnsureNaAsync(db, projectId, ct);

        await using (var command = writer.Command("""SELECT "Id", "Key" FROM "RelationTypes" WHERE "ProjectId" = @p"""))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) writer._relations[reader.GetString(1)] = reader.GetInt32(0);
        }
        await using (var command = writer.Command("""SELECT "Id", "KbId", "Name" FROM "KbEntities" WHERE "ProjectId" = @p"""))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                writer._entityIds[reader.GetString(1)] = id;
                writer._entities[id] = (reader.GetString(1), reader.GetString(2));
            }
        }
        await using (var command = writer.Command("""SELECT "Id", "HeadEntityId", "TailEntityId" FROM "Bags" WHERE "ProjectId" = @p"""))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) writer._bags[(reader.GetInt64(1), reader.GetInt64(2))] = reader.GetInt64(0);
        }
        return writer;
    }

    /// <summary>A dictionary of the project's entity names (first) and aliases, for matching them in text.</summary>
    public async Task<EntityNameMatcher> BuildDictionaryAsync(CancellationToken ct)
    {
        var dictionary = new EntityNameMatcher();
        foreach (var (id, entity) in _entities.OrderBy(e => e.Key)) dictionary.Add(entity.Name, id);
        await using var command = Command("""
            SELECT a."EntityId", a."Alias" FROM "EntityAliases" a JOIN "KbEntities" e ON e."Id" = a."EntityId"
            WHERE e."ProjectId" = @p ORDER BY a."EntityId", a."Id"
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) dictionary.Add(reader.GetString(1), reader.GetInt64(0));
        return dictionary;
    }

    /// <summary>Maps a file's relation label to a key: "NA", "no_relation", "Other" (any case) are NA.</summary>
    public static bool IsNaLabel(string label) =>
        label.Equals(RelationType.NaKey, StringComparison.OrdinalIgnoreCase)
        || label.Equals("no_relation", StringComparison.OrdinalIgnoreCase)
        || label.Equals("Other", StringComparison.OrdinalIgnoreCase)
        || label.Equals("None", StringComparison.OrdinalIgnoreCase);

    /// <summary>The relation type with this key, created (name = key unless given) when missing.</summary>
    public async ValueTask<int> RelationTypeAsync(string key, string? name, string? description, bool update, CancellationToken ct)
    {
        key = key.Trim();
        if (key.Length == 0) throw new InvalidDataException("empty relation key");
        if (key.Length > 200) throw new InvalidDataException("relation key longer than 200 characters");
        if (IsNaLabel(key)) return NaRelationTypeId;
        name = string.IsNullOrWhiteSpace(name) ? null : Limit(name.Trim(), 200);
        description = string.IsNullOrWhiteSpace(description) ? null : Limit(description.Trim(), 4000);
        if (_relations.TryGetValue(key, out var id))
        {
            if (update && (name is not null || description is not null))
            {
                await using var updateCommand = Command("""
                    UPDATE "RelationTypes" SET "Name" = coalesce(@name, "Name"), "Description" = coalesce(@description, "Description")
                    WHERE "Id" = @id
                    """);
                updateCommand.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Varchar) { Value = (object?)name ?? DBNull.Value });
                updateCommand.Parameters.Add(new NpgsqlParameter("description", NpgsqlDbType.Varchar) { Value = (object?)description ?? DBNull.Value });
                updateCommand.Parameters.AddWithValue("id", id);
                await updateCommand.ExecuteNonQueryAsync(ct);
            }
            return id;
        }
        await using var command = Command("""
            INSERT INTO "RelationTypes" ("ProjectId", "Key", "Name", "Description", "IsNa", "Index")
            VALUES (@p, @key, @name, @description, false,
                    (SELECT coalesce(max("Index"), 0) + 1 FROM "RelationTypes" WHERE "ProjectId" = @p))
            RETURNING "Id"
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("name", name ?? key);
        command.Parameters.AddWithValue("description", description ?? "");
        id = (int)(await command.ExecuteScalarAsync(ct))!;
        _relations[key] = id;
        Counts.RelationTypes++;
        return id;
    }

    /// <summary>The entity with this KB id, created when missing. A new name of a known entity becomes an alias.</summary>
    public async ValueTask<long> EntityAsync(string kbId, string name, CancellationToken ct)
    {
        kbId = kbId.Trim();
        name = name.Trim();
        if (kbId.Length == 0) throw new InvalidDataException("empty entity id");
        if (kbId.Length > 200) throw new InvalidDataException("entity id longer than 200 characters");
        if (name.Length > 1000) throw new InvalidDataException("entity name longer than 1000 characters");
        if (_entityIds.TryGetValue(kbId, out var id))
        {
            if (name.Length > 0 && !name.Equals(_entities[id].Name, StringComparison.OrdinalIgnoreCase)) Alias(id, name);
            return id;
        }
        id = await _entityIdBlocks.NextAsync(_connection, ct);
        if (name.Length == 0) name = kbId;
        _entityIds[kbId] = id;
        _entities[id] = (kbId, name);
        _newEntities.Add((id, kbId, name));
        Counts.Entities++;
        return id;
    }

    /// <summary>Adds an alias (stored lower-case); one equal to the entity's name is dropped.</summary>
    public void Alias(long entityId, string alias)
    {
        alias = alias.Trim().ToLowerInvariant();
        if (alias.Length == 0) return;
        if (alias.Length > 1000) throw new InvalidDataException("alias longer than 1000 characters");
        if (alias.Equals(_entities[entityId].Name, StringComparison.OrdinalIgnoreCase)) return;
        _newAliases.Add((entityId, alias));
        _aliasRows++;
    }

    public void Fact(long headEntityId, int relationTypeId, long tailEntityId)
    {
        _newFacts.Add((headEntityId, relationTypeId, tailEntityId));
        _factRows++;
    }

    public async ValueTask<long> DocumentAsync(string? externalId, string title, CancellationToken ct)
    {
        if (externalId is { Length: > 200 }) throw new InvalidDataException("document id longer than 200 characters");
        var id = await _documentIds.NextAsync(_connection, ct);
        _newDocuments.Add((id, externalId, Limit(title, 1000)));
        Counts.Documents++;
        return id;
    }

    /// <summary>A sentence row; with <paramref name="dedupe"/>, identical token sequences of this import share one row.</summary>
    public async ValueTask<(long Id, bool IsNew)> SentenceAsync(long documentId, int index, string[] tokens, bool dedupe, CancellationToken ct)
    {
        UInt128? key = null;
        if (dedupe)
        {
            key = TokensKey(tokens);
            if (_sentencesByTokens.TryGetValue(key.Value, out var existing))
            {
                Counts.SkippedDuplicates++;
                return (existing, false);
            }
        }
        var id = await _sentenceIds.NextAsync(_connection, ct);
        if (key is { } newKey) _sentencesByTokens[newKey] = id;
        _newSentences.Add((id, documentId, index, tokens));
        Counts.Sentences++;
        return (id, true);
    }

    /// <summary>A mention row; with <paramref name="dedupe"/>, identical (sentence, entity, span) within this import share one row.</summary>
    public async ValueTask<long> MentionAsync(long sentenceId, long entityId, int start, int end, bool dedupe, CancellationToken ct)
    {
        if (dedupe && _mentions.TryGetValue((sentenceId, entityId, start, end), out var existing)) return existing;
        var id = await _mentionIds.NextAsync(_connection, ct);
        if (dedupe) _mentions[(sentenceId, entityId, start, end)] = id;
        _newMentions.Add((id, sentenceId, entityId, start, end));
        Counts.Mentions++;
        return id;
    }

    /// <summary>A candidate in the bag of (head entity, tail entity), the bag created when missing.</summary>
    public async ValueTask<long> CandidateAsync(long sentenceId, long headMentionId, long tailMentionId, long headEntityId,
        long tailEntityId, string? externalId, CancellationToken ct)
    {
        if (externalId is { Length: > 200 }) throw new InvalidDataException("candidate id longer than 200 characters");
        if (!_bags.TryGetValue((headEntityId, tailEntityId), out var bagId))
        {
            bagId = await _bagIds.NextAsync(_connection, ct);
            _bags[(headEntityId, tailEntityId)] = bagId;
            _newBags.Add((bagId, headEntityId, tailEntityId, BagSplits.For(_entities[headEntityId].KbId, _entities[tailEntityId].KbId)));
            Counts.Bags++;
        }
        var id = await _candidateIds.NextAsync(_connection, ct);
        _newCandidates.Add((id, sentenceId, headMentionId, tailMentionId, bagId, externalId));
        Counts.Candidates++;
        return id;
    }

    public void Gold(long candidateId, int relationTypeId)
    {
        _newGold.Add((candidateId, relationTypeId));
        Counts.GoldLabels++;
    }

    /// <summary>Writes the buffers once they are large; call between records.</summary>
    public async ValueTask MaybeFlushAsync(CancellationToken ct)
    {
        var buffered = _newEntities.Count + _newAliases.Count + _newFacts.Count + _newDocuments.Count + _newSentences.Count
            + _newMentions.Count + _newBags.Count + _newCandidates.Count + _newGold.Count;
        if (buffered >= FlushThreshold) await FlushAsync(ct);
    }

    /// <summary>Writes every buffer, parents before children.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await CopyAsync("""COPY "KbEntities" ("Id", "ProjectId", "KbId", "Name") FROM STDIN (FORMAT BINARY)""", _newEntities,
            async (w, r) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(ProjectId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.KbId, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(r.Name, NpgsqlDbType.Varchar, ct);
            }, ct);
        if (_newAliases.Count > 0)
        {
            if (!_aliasesTable)
            {
                await ExecuteAsync("CREATE TEMP TABLE import_aliases (entity bigint, alias text) ON COMMIT DROP", ct);
                _aliasesTable = true;
            }
            await CopyAsync("COPY import_aliases (entity, alias) FROM STDIN (FORMAT BINARY)", _newAliases, async (w, r) =>
            {
                await w.WriteAsync(r.EntityId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.Alias, NpgsqlDbType.Text, ct);
            }, ct);
        }
        if (_newFacts.Count > 0)
        {
            if (!_factsTable)
            {
                await ExecuteAsync("CREATE TEMP TABLE import_facts (head bigint, relation integer, tail bigint) ON COMMIT DROP", ct);
                _factsTable = true;
            }
            await CopyAsync("COPY import_facts (head, relation, tail) FROM STDIN (FORMAT BINARY)", _newFacts, async (w, r) =>
            {
                await w.WriteAsync(r.Head, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.Relation, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.Tail, NpgsqlDbType.Bigint, ct);
            }, ct);
        }
        await CopyAsync("""COPY "Documents" ("Id", "ProjectId", "ExternalId", "Title", "ImportRunId") FROM STDIN (FORMAT BINARY)""",
            _newDocuments, async (w, r) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(ProjectId, NpgsqlDbType.Integer, ct);
                if (r.ExternalId is null) await w.WriteNullAsync(ct);
                else await w.WriteAsync(r.ExternalId, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(r.Title, NpgsqlDbType.Varchar, ct);
                if (ImportRunId is { } run) await w.WriteAsync(run, NpgsqlDbType.Uuid, ct);
                else await w.WriteNullAsync(ct);
            }, ct);
        await CopyAsync("""COPY "Sentences" ("Id", "ProjectId", "DocumentId", "Index", "Tokens") FROM STDIN (FORMAT BINARY)""",
            _newSentences, async (w, r) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(ProjectId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.DocumentId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.Index, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.Tokens, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            }, ct);
        await CopyAsync("""COPY "EntityMentions" ("Id", "SentenceId", "EntityId", "Start", "End") FROM STDIN (FORMAT BINARY)""",
            _newMentions, async (w, r) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.SentenceId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.EntityId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.Start, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.End, NpgsqlDbType.Integer, ct);
            }, ct);
        await CopyAsync("""COPY "Bags" ("Id", "ProjectId", "HeadEntityId", "TailEntityId", "Split", "CandidateCount") FROM STDIN (FORMAT BINARY)""",
            _newBags, async (w, r) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(ProjectId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.Head, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.Tail, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.Split.ToString(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(0, NpgsqlDbType.Integer, ct);
            }, ct);
        await CopyAsync("""COPY "Candidates" ("Id", "ProjectId", "SentenceId", "HeadMentionId", "TailMentionId", "BagId", "ExternalId") FROM STDIN (FORMAT BINARY)""",
            _newCandidates, async (w, r) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(ProjectId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.SentenceId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.HeadMention, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.TailMention, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.BagId, NpgsqlDbType.Bigint, ct);
                if (r.ExternalId is null) await w.WriteNullAsync(ct);
                else await w.WriteAsync(r.ExternalId, NpgsqlDbType.Varchar, ct);
            }, ct);
        await CopyAsync("""COPY "GoldLabels" ("CandidateId", "RelationTypeId") FROM STDIN (FORMAT BINARY)""", _newGold,
            async (w, r) =>
            {
                await w.WriteAsync(r.CandidateId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.RelationTypeId, NpgsqlDbType.Integer, ct);
            }, ct);
    }

    /// <summary>Writes what is left, inserts new facts and aliases, updates bag sizes, and relabels the project.</summary>
    public async Task<ImportCounts> CompleteAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        if (_factsTable)
        {
            var inserted = await ExecuteAsync("""
                INSERT INTO "KbFacts" ("ProjectId", "HeadEntityId", "RelationTypeId", "TailEntityId")
                SELECT DISTINCT @p, head, relation, tail FROM import_facts
                ON CONFLICT ("ProjectId", "HeadEntityId", "TailEntityId", "RelationTypeId") DO NOTHING
                """, ct);
            Counts.Facts += inserted;
            Counts.SkippedDuplicates += _factRows - inserted;
        }
        if (_aliasesTable)
        {
            var inserted = await ExecuteAsync("""
                INSERT INTO "EntityAliases" ("EntityId", "Alias")
                SELECT DISTINCT entity, alias FROM import_aliases
                ON CONFLICT ("EntityId", "Alias") DO NOTHING
                """, ct);
            Counts.Aliases += inserted;
            Counts.SkippedDuplicates += _aliasRows - inserted;
        }
        if (Counts.Candidates > 0)
        {
            await ExecuteAsync("""
                UPDATE "Bags" b SET "CandidateCount" = c.n
                FROM (SELECT "BagId", count(*)::integer AS n FROM "Candidates" WHERE "ProjectId" = @p GROUP BY "BagId") c
                WHERE b."Id" = c."BagId" AND b."CandidateCount" <> c.n
                """, ct);
        }
        await DistantSupervision.RelabelAsync(_db, ProjectId, ct);
        return Counts;
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("p", ProjectId);
        return command;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = Command(sql);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task CopyAsync<T>(string copy, List<T> rows, Func<NpgsqlBinaryImporter, T, Task> write, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using (var importer = await _connection.BeginBinaryImportAsync(copy, ct))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct);
                await write(importer, row);
            }
            await importer.CompleteAsync(ct);
        }
        rows.Clear();
    }

    private static UInt128 TokensKey(string[] tokens)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u0001', tokens)));
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    private static string Limit(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>Ids from a table's identity sequence, fetched in growing blocks (explicit ids are allowed: BY DEFAULT).</summary>
    private sealed class IdBlocks(string table)
    {
        private readonly string _sql = $"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'Id')) FROM generate_series(1, @n)";
        private long[] _block = [];
        private int _next;
        private int _size = 64;

        public async ValueTask<long> NextAsync(NpgsqlConnection connection, CancellationToken ct)
        {
            if (_next == _block.Length)
            {
                await using var command = new NpgsqlCommand(_sql, connection);
                command.Parameters.AddWithValue("n", _size);
                var ids = new long[_size];
                var count = 0;
                await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
                {
                    while (await reader.ReadAsync(ct)) ids[count++] = reader.GetInt64(0);
                }
                _block = ids;
                _next = 0;
                _size = Math.Min(_size * 4, 1 << 16);
            }
            return _block[_next++];
        }
    }
}
