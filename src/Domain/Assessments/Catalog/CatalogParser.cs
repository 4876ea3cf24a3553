using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebApp.Domain.Assessments.Catalog;

/// <summary>
/// Reads a catalog definition file and checks all of it before anything uses it. Every problem is collected, named by
/// its place in the file (JSON path, and the item's identifier where it has one), and the file is refused if there is
/// any: a catalog is either imported whole and consistent or not at all.
/// </summary>
public static partial class CatalogParser
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] JsonWhiteSpace = " \t\r\n"u8.ToArray();

    /// <exception cref="CatalogValidationException">The file is not a valid catalog; its <c>Errors</c> say why.</exception>
    public static CatalogDefinition Parse(byte[] file)
    {
        using var document = ParseJson(file);
        var reader = new Reader();
        var definition = reader.Catalog(document.RootElement);
        if (reader.Errors.Count > 0 || definition is null) throw new CatalogValidationException(reader.Errors);
        return definition;
    }

    private static JsonDocument ParseJson(byte[] file)
    {
        ReadOnlyMemory<byte> json = file;
        if (json.Span.StartsWith(Utf8Bom)) json = json[Utf8Bom.Length..];
        if (json.Span.Trim(JsonWhiteSpace).IsEmpty) throw new CatalogValidationException(["The file is empty."]);
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            // The reader counts lines and positions from 0; editors count from 1.
            throw new CatalogValidationException([string.Create(CultureInfo.InvariantCulture,
                $"The file is not valid JSON: line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {ReasonOf(e)}")]);
        }
    }

    /// <summary>The reader's message without the position it appends (given in our own words instead).</summary>
    private static string ReasonOf(JsonException e)
    {
        var cut = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? e.Message : e.Message[..cut];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[A-Z]{1,4}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^PF-[A-Z]+-[A-Z]+-[0-9]{2}$")]
    private static partial Regex ProfileIdPattern();

    /// <summary>Any requirement identifier of the scheme, wherever it belongs.</summary>
    [GeneratedRegex("^[A-Z]+-R-[A-Z]+-(?:(?:RI|CR|ME)-[0-9]{2}|OA)$")]
    private static partial Regex RequirementIdPattern();

    /// <summary>A place in the file: its JSON path and, once known, the identifier of the item there.</summary>
    private readonly record struct Place(string Path, string? Id = null)
    {
        public Place Child(string name) => new(Path.Length == 0 ? name : $"{Path}.{name}");

        public override string ToString() => (Path.Length == 0 ? "catalog" : Path) + (Id is null ? "" : $" ({Id})");
    }

    private sealed class Reader
    {
        public List<string> Errors { get; } = [];
        /// <summary>Every identifier seen so far, with the place it was first used.</summary>
        private readonly Dictionary<string, Place> _identifiers = new(StringComparer.Ordinal);
        private HashSet<int>? _stages;
        private HashSet<string>? _evidenceKinds;

        private void Error(Place at, string message) => Errors.Add($"{at}: {message}");

        public CatalogDefinition? Catalog(JsonElement root)
        {
            var at = new Place("");
            if (root.ValueKind != JsonValueKind.Object)
            {
                Errors.Add($"The catalog must be a JSON object, not {KindOf(root)}.");
                return null;
            }
            OnlyKnown(root, at, "key", "version", "title", "credit", "description", "stages", "evidenceKinds", "profile", "dimensions",
                "crossDimensional");
            var key = Text(root, at, "key");
            if (key is not null && !KeyPattern().IsMatch(key))
            {
                Error(at, $"'key' must be lower-case letters, digits and dashes (at most 100), e.g. 'trustworthy-ai', not '{key}'.");
            }
            var version = Text(root, at, "version");
            if (version is not null && !VersionPattern().IsMatch(version))
            {
                Error(at, $"'version' must be letters, digits, dots, dashes or underscores (at most 50), e.g. '1.1', not '{version}'.");
            }
            var title = Text(root, at, "title");
            if (title is { Length: > 300 }) Error(at, "'title' is longer than 300 characters.");
            var credit = Text(root, at, "credit");
            var description = Text(root, at, "description");
            var stages = Stages(root, at);
            var evidenceKinds = EvidenceKinds(root, at);
            var profile = Profile(root, at);
            var dimensions = Dimensions(root, at);
            var crossDimensional = Item(root, at, "crossDimensional", "AT");

            if (Errors.Count > 0) return null;
            return new CatalogDefinition(key!, version!, title!, credit!, description!, stages!, evidenceKinds!, profile!, dimensions!,
                crossDimensional!);
        }

        private List<LifecycleStage>? Stages(JsonElement root, Place at)
        {
            var elements = Objects(root, at, "stages");
            if (elements is null) return null;
            var stages = new List<LifecycleStage>();
            foreach (var (element, place) in elements)
            {
                OnlyKnown(element, place, "number", "name", "description");
                var number = Number(element, place, "number");
                var name = Text(element, place, "name");
                var description = Text(element, place, "description");
                if (number is < 1) Error(place, $"'number' must be 1 or more, not {number}.");
                if (number is { } n && stages.Any(s => s.Number == n)) Error(place, $"stage {n} is defined twice.");
                if (number is { } valid && name is not null && description is not null) stages.Add(new LifecycleStage(valid, name, description));
            }
            if (stages.Count == elements.Count) _stages = stages.Select(s => s.Number).ToHashSet();
            return stages;
        }

        private List<EvidenceKindDefinition>? EvidenceKinds(JsonElement root, Place at)
        {
            var elements = Objects(root, at, "evidenceKinds");
            if (elements is null) return null;
            var kinds = new List<EvidenceKindDefinition>();
            foreach (var (element, place) in elements)
            {
                OnlyKnown(element, place, "code", "name", "description");
                var code = Text(element, place, "code");
                var name = Text(element, place, "name");
                var description = Text(element, place, "description");
                if (code is not null && kinds.Any(k => k.Code == code)) Error(place, $"evidence kind '{code}' is defined twice.");
                if (code is not null && name is not null && description is not null) kinds.Add(new EvidenceKindDefinition(code, name, description));
            }
            if (kinds.Count == elements.Count) _evidenceKinds = kinds.Select(k => k.Code).ToHashSet(StringComparer.Ordinal);
            return kinds;
        }

        private List<CatalogItem>? Profile(JsonElement root, Place at)
        {
            var elements = Objects(root, at, "profile");
            if (elements is null) return null;
            var items = new List<CatalogItem>();
            foreach (var (element, place) in elements)
            {
                var item = ItemAt(element, place, expectedId: null);
                if (item is null) continue;
                if (!ProfileIdPattern().IsMatch(item.Id))
                {
                    Error(place with { Id = item.Id }, $"profile identifier '{item.Id}' does not follow the scheme PF-<category>-<group>-<two-digit number>, e.g. PF-T-FA-01.");
                }
                items.Add(item);
            }
            return items;
        }

        private List<DimensionDefinition>? Dimensions(JsonElement root, Place at)
        {
            var elements = Objects(root, at, "dimensions");
            if (elements is null) return null;
            var dimensions = new List<DimensionDefinition>();
            foreach (var (element, path) in elements)
            {
                var place = path with { Id = PeekText(element, "code") };
                OnlyKnown(element, place, "code", "name", "description", "minimumProtection", "protection", "riskAreas", "summary");
                var code = Code(element, place);
                if (code is not null && dimensions.Any(d => d.Code == code)) Error(place, $"dimension '{code}' is defined twice.");
                var name = Text(element, place, "name");
                var description = Text(element, place, "description");
                var minimum = MinimumProtection(element, place);
                var protection = Item(element, place, "protection", code is null ? null : $"{code}-P");
                var riskAreas = RiskAreas(element, place, code);
                var summary = Item(element, place, "summary", code is null ? null : $"{code}-S");
                if (code is not null && name is not null && description is not null && minimum is { } level && protection is not null
                    && riskAreas is not null && summary is not null)
                {
                    dimensions.Add(new DimensionDefinition(code, name, description, level, protection, riskAreas, summary));
                }
            }
            return dimensions;
        }

        private ProtectionLevel? MinimumProtection(JsonElement dimension, Place place)
        {
            var value = Text(dimension, place, "minimumProtection");
            if (value is null) return null;
            // Names only: Enum.TryParse would also take "7" or "low, high".
            var names = Enum.GetNames<ProtectionLevel>();
            if (names.Contains(value, StringComparer.Ordinal)) return Enum.Parse<ProtectionLevel>(value);
            Error(place, $"'minimumProtection' must be {string.Join(", ", names[..^1])} or {names[^1]}, not '{value}'.");
            return null;
        }

        private List<RiskAreaDefinition>? RiskAreas(JsonElement dimension, Place at, string? dimensionCode)
        {
            var elements = Objects(dimension, at, "riskAreas");
            if (elements is null) return null;
            var areas = new List<RiskAreaDefinition>();
            var complete = true;
            foreach (var (element, path) in elements)
            {
                var areaCode = PeekText(element, "code");
                var place = path with { Id = dimensionCode is null || areaCode is null ? areaCode : RiskAreaDefinition.KeyOf(dimensionCode, areaCode) };
                OnlyKnown(element, place, "code", "name", "description", "requirements");
                var code = Code(element, place);
                if (code is not null && areas.Any(a => a.Code == code)) Error(place, $"risk area '{code}' is defined twice in this dimension.");
                var name = Text(element, place, "name");
                var description = Text(element, place, "description");
                var requirements = Requirements(element, place, dimensionCode, code);
                if (code is not null && name is not null && description is not null && requirements is not null)
                {
                    areas.Add(new RiskAreaDefinition(code, name, description, requirements));
                }
                else
                {
                    complete = false;
                }
            }
            return complete ? areas : null;
        }

        private List<Requirement>? Requirements(JsonElement area, Place at, string? dimensionCode, string? areaCode)
        {
            var elements = Objects(area, at, "requirements");
            if (elements is null) return null;
            var requirements = new List<Requirement>();
            var aspects = new List<Aspect>();
            var complete = true;
            foreach (var (element, path) in elements)
            {
                var place = path with { Id = PeekText(element, "id") };
                var requirement = RequirementAt(element, place, dimensionCode, areaCode);
                if (requirement is null) complete = false;
                else requirements.Add(requirement);
                if (PeekText(element, "aspect") is { } text && Enum.TryParse<Aspect>(text, out var aspect)) aspects.Add(aspect);
            }
            // Every aspect is a step of the procedure: a risk area without one cannot be walked through.
            foreach (var aspect in Enum.GetValues<Aspect>())
            {
                var count = aspects.Count(a => a == aspect);
                if (count == 0) Error(at, $"the risk area has no {aspect} requirement ({AspectName(aspect)}); every risk area needs RI, CR, ME and OA.");
                if (aspect == Aspect.OA && count > 1) Error(at, $"the risk area has {count} OA requirements; it needs exactly one overall assessment.");
            }
            return complete ? requirements : null;
        }

        private Requirement? RequirementAt(JsonElement element, Place place, string? dimensionCode, string? areaCode)
        {
            OnlyKnown(element, place, "id", "aspect", "text", "help", "stage", "evidence");
            var id = Identifier(element, place);
            var aspect = AspectOf(element, place);
            var text = Text(element, place, "text");
            var help = Text(element, place, "help");
            if (id is not null && aspect is { } known && dimensionCode is not null && areaCode is not null)
            {
                CheckRequirementId(place, id, known, dimensionCode, areaCode);
            }

            int? stage = null;
            List<string>? evidence = null;
            var measureComplete = true;
            if (aspect == Aspect.ME)
            {
                stage = StageOf(element, place);
                evidence = EvidenceOf(element, place);
                measureComplete = stage is not null && evidence is not null;
            }
            else if (aspect is not null)
            {
                foreach (var name in new[] { "stage", "evidence" })
                {
                    if (element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                    {
                        Error(place, $"'{name}' belongs to measures (ME) only, not to a {aspect} requirement.");
                    }
                }
            }
            if (id is null || aspect is null || text is null || help is null || !measureComplete) return null;
            return new Requirement(id, aspect.Value, text, help, stage, evidence);
        }

        private void CheckRequirementId(Place place, string id, Aspect aspect, string dimensionCode, string areaCode)
        {
            var area = RiskAreaDefinition.KeyOf(dimensionCode, areaCode);
            if (aspect == Aspect.OA)
            {
                if (id != $"{area}-OA") Error(place, $"the overall assessment's identifier must be '{area}-OA', not '{id}'.");
                return;
            }
            var expected = $"{area}-{aspect}-";
            var fits = id.StartsWith(expected, StringComparison.Ordinal) && id.Length == expected.Length + 2
                && char.IsAsciiDigit(id[^2]) && char.IsAsciiDigit(id[^1]);
            if (fits) return;
            Error(place, RequirementIdPattern().IsMatch(id)
                ? $"identifier '{id}' does not match its place: a {aspect} requirement of risk area {area} is numbered {expected}NN, e.g. {expected}01."
                : $"identifier '{id}' does not follow the scheme <dimension>-R-<risk area>-<aspect>-<two-digit number>, e.g. {expected}01.");
        }

        private Aspect? AspectOf(JsonElement element, Place place)
        {
            var value = Text(element, place, "aspect");
            if (value is null) return null;
            var names = Enum.GetNames<Aspect>();
            if (names.Contains(value, StringComparer.Ordinal)) return Enum.Parse<Aspect>(value);
            Error(place, $"'aspect' must be {string.Join(", ", names[..^1])} or {names[^1]}, not '{value}'.");
            return null;
        }

        private int? StageOf(JsonElement element, Place place)
        {
            if (!element.TryGetProperty("stage", out var value) || value.ValueKind == JsonValueKind.Null)
            {
                Error(place, "'stage' is missing: every measure (ME) belongs to a life-cycle stage.");
                return null;
            }
            var stage = Number(element, place, "stage");
            if (stage is { } number && _stages is not null && !_stages.Contains(number))
            {
                Error(place, string.Create(CultureInfo.InvariantCulture,
                    $"stage {number} is not one of the catalog's life-cycle stages ({string.Join(", ", _stages.Order())})."));
                return null;
            }
            return stage;
        }

        private List<string>? EvidenceOf(JsonElement element, Place place)
        {
            if (!element.TryGetProperty("evidence", out var value) || value.ValueKind == JsonValueKind.Null)
            {
                Error(place, "'evidence' is missing: every measure (ME) names the evidence kinds that back it, e.g. [\"Do\", \"Te\"].");
                return null;
            }
            if (value.ValueKind != JsonValueKind.Array)
            {
                Error(place, $"'evidence' must be a list of evidence codes, not {KindOf(value)}.");
                return null;
            }
            var codes = new List<string>();
            var valid = true;
            foreach (var code in value.EnumerateArray())
            {
                if (code.ValueKind != JsonValueKind.String)
                {
                    Error(place, $"'evidence' must contain evidence codes as text, not {KindOf(code)}.");
                    valid = false;
                }
                else if (_evidenceKinds is not null && !_evidenceKinds.Contains(code.GetString()!))
                {
                    Error(place, $"evidence code '{code.GetString()}' is not one of the catalog's evidence kinds ({string.Join(", ", _evidenceKinds)}).");
                    valid = false;
                }
                else if (codes.Contains(code.GetString()!))
                {
                    Error(place, $"evidence code '{code.GetString()}' is listed twice.");
                    valid = false;
                }
                else
                {
                    codes.Add(code.GetString()!);
                }
            }
            if (codes.Count == 0 && valid)
            {
                Error(place, "'evidence' is empty: every measure (ME) names at least one evidence kind.");
                valid = false;
            }
            return valid ? codes : null;
        }

        /// <summary>A catalog item outside the risk areas; <paramref name="expectedId"/> is its fixed identifier (e.g. FN-P, AT).</summary>
        private CatalogItem? Item(JsonElement parent, Place at, string name, string? expectedId)
        {
            if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                Error(at, $"'{name}' is missing.");
                return null;
            }
            var place = at.Child(name);
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(place, $"must be an object, not {KindOf(element)}.");
                return null;
            }
            return ItemAt(element, place, expectedId);
        }

        private CatalogItem? ItemAt(JsonElement element, Place place, string? expectedId)
        {
            place = place with { Id = PeekText(element, "id") };
            OnlyKnown(element, place, "id", "text", "help", "group");
            var id = Identifier(element, place);
            if (id is not null && expectedId is not null && id != expectedId) Error(place, $"the identifier must be '{expectedId}', not '{id}'.");
            var text = Text(element, place, "text");
            var help = Text(element, place, "help");
            var group = Text(element, place, "group", required: false);
            return id is null || text is null || help is null ? null : new CatalogItem(id, text, help, group);
        }

        /// <summary>Reads an item's identifier and claims it: identifiers are unique across the whole catalog.</summary>
        private string? Identifier(JsonElement element, Place place)
        {
            var id = Text(element, place, "id");
            if (id is null) return null;
            if (!_identifiers.TryAdd(id, place))
            {
                Error(place, $"identifier '{id}' is used twice; it is already used at {_identifiers[id] with { Id = null }}.");
            }
            return id;
        }

        private string? Code(JsonElement element, Place place)
        {
            var code = Text(element, place, "code");
            if (code is not null && !CodePattern().IsMatch(code))
            {
                Error(place, $"'code' must be 1 to 4 capital letters, e.g. FN, not '{code}'.");
                return null;
            }
            return code;
        }

        /// <summary>A required, non-empty list of objects; an entry that is not an object is reported and left out.</summary>
        private List<(JsonElement Element, Place Place)>? Objects(JsonElement parent, Place at, string name)
        {
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                Error(at, $"'{name}' is missing.");
                return null;
            }
            if (value.ValueKind != JsonValueKind.Array)
            {
                Error(at, $"'{name}' must be a list, not {KindOf(value)}.");
                return null;
            }
            var entries = new List<(JsonElement, Place)>();
            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                var place = at.Child(string.Create(CultureInfo.InvariantCulture, $"{name}[{index++}]"));
                if (element.ValueKind == JsonValueKind.Object) entries.Add((element, place));
                else Error(place, $"must be an object, not {KindOf(element)}.");
            }
            if (index == 0) Error(at, $"'{name}' is empty; it needs at least one entry.");
            return entries;
        }

        private string? Text(JsonElement element, Place place, string name, bool required = true)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required) Error(place, $"'{name}' is missing.");
                return null;
            }
            if (value.ValueKind != JsonValueKind.String)
            {
                Error(place, $"'{name}' must be text, not {KindOf(value)}.");
                return null;
            }
            var text = value.GetString()!;
            if (string.IsNullOrWhiteSpace(text))
            {
                Error(place, $"'{name}' is empty.");
                return null;
            }
            return text;
        }

        private int? Number(JsonElement element, Place place, string name)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                Error(place, $"'{name}' is missing.");
                return null;
            }
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            {
                Error(place, $"'{name}' must be a whole number, not {KindOf(value)}.");
                return null;
            }
            return number;
        }

        private void OnlyKnown(JsonElement element, Place place, params string[] known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    Error(place, $"unknown field '{property.Name}' (expected {string.Join(", ", known)}).");
                }
            }
        }

        private static string? PeekText(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        private static string AspectName(Aspect aspect) => aspect switch
        {
            Aspect.RI => "risk analysis and objectives",
            Aspect.CR => "criteria",
            Aspect.ME => "measures",
            _ => "overall assessment",
        };

        private static string KindOf(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => $"the text \"{value.GetString()}\"",
            JsonValueKind.Number => $"the number {value.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
            _ => "null",
        };
    }
}
