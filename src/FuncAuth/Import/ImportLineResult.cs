using System.ComponentModel;
using System.Text.Json.Serialization;

namespace FuncAuth.Import;

/// <summary>
/// What became of one line of an import, written as one line of the answer, in the order of the input. <see cref="Line"/> is
/// the line's number in the file (1 for the first; blank lines are counted but answered by nothing).
/// </summary>
internal sealed record ImportLineResult(
    [property: JsonPropertyName("line")]
    [property: Description("The line's number in the file, from 1. Blank lines are counted but get no answer.")]
    long Line,
    [property: JsonPropertyName("username")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [property: Description("The username as stored (its display form); absent when the line had no valid one.")]
    string? Username,
    [property: JsonPropertyName("id")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [property: Description("The user's id (its `sub`): the new account's, or the existing one's for `exists`.")]
    string? Id,
    [property: JsonPropertyName("result")]
    [property: Description("`created`, `exists` (the name has an account: nothing was changed), `refused` (see `error`; nothing was " +
        "written) or `stopped` (the import stopped here, see `error`: send the file again).")]
    string Result,
    [property: JsonPropertyName("error")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [property: Description("Why the line was refused, or why the import stopped.")]
    string? Error = null)
{
    public const string Created = "created";
    public const string Exists = "exists";
    public const string Refused = "refused";
    public const string Stopped = "stopped";

    public static ImportLineResult Refuse(long line, string? username, string error) => new(line, username, null, Refused, error);
}

/// <summary>The answer's lines, written with the default (HTML-escaping) encoder: nothing sent comes back unescaped.</summary>
[JsonSerializable(typeof(ImportLineResult))]
internal sealed partial class ImportJson : JsonSerializerContext;
