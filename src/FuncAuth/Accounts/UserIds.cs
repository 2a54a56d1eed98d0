using System.Buffers;

namespace FuncAuth.Accounts;

/// <summary>
/// What a user id may be: FuncAuth's own are GUIDs (<c>D</c> form); an imported user may keep the id of the system it comes
/// from. One rule for both, checked before an id is used as a table key, in a query filter, in a log line or in a URL:
/// 1 to 128 characters of <c>A-Z a-z 0-9 . _ -</c>, starting with a letter or digit. No character of it needs escaping in
/// any of those places, and <c>/ \ # ?</c> (forbidden in Table Storage keys) cannot occur.
/// </summary>
internal static class UserIds
{
    public const int MaxLength = 128;

    /// <summary>The rule, as the README and error messages say it.</summary>
    public const string Rule = "1 to 128 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && char.IsAsciiLetterOrDigit(id[0]) && !id.AsSpan().ContainsAnyExcept(Allowed);
}
