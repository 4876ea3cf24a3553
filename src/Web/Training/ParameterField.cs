using System.Reflection;
using System.Text;
using System.Text.Json;

namespace WebApp.Web.Training;

/// <summary>How a parameter is edited in the form.</summary>
public enum ParameterEditor
{
    WholeNumber,
    Number,
    Switch,
    Text,
    Choice,
    ChoiceList,
    WholeNumbers,
    /// <summary>The id of a record to train on (a project, dataset or clustering), picked by name.</summary>
    Reference,
    Group,
}

/// <summary>
/// One parameter of a job type's parameters record, as the Admin's form shows it: its JSON name (the launcher reads the
/// JSON), a label from its name, how it is edited, and for a nested record its own fields. Built from the record type,
/// so a parameter added to a launcher appears in the form with no change here.
/// </summary>
public sealed record ParameterField(
    string Name, string Label, ParameterEditor Editor, bool IsOptional, IReadOnlyList<string> Choices, IReadOnlyList<ParameterField> Fields)
{
    /// <summary>Parameters that name what to train on; the form offers the existing records by name.</summary>
    public static readonly IReadOnlyList<string> References = ["projectId", "datasetId", "clusteringId"];

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>The fields of <paramref name="type"/>, in its primary constructor's order.</summary>
    public static IReadOnlyList<ParameterField> For(Type type, IReadOnlyDictionary<string, IReadOnlyList<string>> choices)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(choices);
        var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)
            ?? throw new ArgumentException($"{type.Name} has no public constructor.", nameof(type));
        return constructor.GetParameters().Select(parameter =>
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
            var clrType = parameter.ParameterType;
            var underlying = Nullable.GetUnderlyingType(clrType);
            var optional = underlying is not null || Nullability.Create(parameter).WriteState == NullabilityState.Nullable;
            var itemChoices = choices.GetValueOrDefault(name) ?? [];
            var valueType = underlying ?? clrType;
            var editor = valueType switch
            {
                _ when References.Contains(name) => ParameterEditor.Reference,
                _ when valueType == typeof(int) || valueType == typeof(long) => ParameterEditor.WholeNumber,
                _ when valueType == typeof(double) || valueType == typeof(float) => ParameterEditor.Number,
                _ when valueType == typeof(bool) => ParameterEditor.Switch,
                _ when valueType == typeof(string) => itemChoices.Count > 0 ? ParameterEditor.Choice : ParameterEditor.Text,
                _ when valueType == typeof(int[]) || typeof(IEnumerable<int>).IsAssignableFrom(valueType) => ParameterEditor.WholeNumbers,
                _ when typeof(IEnumerable<string>).IsAssignableFrom(valueType) => ParameterEditor.ChoiceList,
                _ when valueType.IsClass => ParameterEditor.Group,
                _ => ParameterEditor.Text,
            };
            var label = LabelOf(editor == ParameterEditor.Reference && parameter.Name!.EndsWith("Id", StringComparison.Ordinal) ? parameter.Name![..^2] : parameter.Name!);
            return new ParameterField(name, label, editor, optional, itemChoices,
                editor == ParameterEditor.Group ? For(valueType, choices) : []);
        }).ToList();
    }

    /// <summary>"NaSamplingRatio" → "Na sampling ratio"; "TopG" → "Top g".</summary>
    public static string LabelOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var label = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c)) label.Append(' ').Append(char.ToLowerInvariant(c));
            else label.Append(i == 0 ? char.ToUpperInvariant(c) : c);
        }
        return label.ToString();
    }
}

/// <summary>A record a reference parameter may name; <paramref name="ParentId"/>: a clustering's dataset.</summary>
public sealed record ReferenceOption(int Id, string Name, int? ParentId = null);
