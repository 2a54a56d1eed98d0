using System.Buffers;

namespace FuncAuth.Accounts;

/// <summary>
/// Role names: 1 to 64 characters of <c>A-Z a-z 0-9 . _ : -</c>, starting with a letter or digit, compared ordinally
/// (case matters, as <c>[Authorize(Roles = ...)]</c> compares them). Such names need no escaping in a JWT, a query, a log
/// line or the space-separated form the Users table keeps them in. A user has at most <see cref="MaxPerUser"/>.
/// </summary>
internal static class Roles
{
    public const int MaxLength = 64;

    public const int MaxPerUser = 32;

    /// <summary>The character set, as the README and error messages say it.</summary>
    public const string Rule = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-', starting with a letter or digit";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxLength } && char.IsAsciiLetterOrDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>
    /// The roles as a user holds them: each valid, duplicates removed, in ordinal order; null with why when one is not a
    /// role name or there are too many.
    /// </summary>
    public static IReadOnlyList<string>? Normalize(IEnumerable<string?> names, out string? error)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!IsValidName(name))
            {
                error = $"Each role must be {Rule}.";
                return null;
            }

            set.Add(name!);
        }

        if (set.Count > MaxPerUser)
        {
            error = $"A user has at most {MaxPerUser} roles.";
            return null;
        }

        error = null;
        return [.. set];
    }

    /// <summary>The stored form: the names separated by single spaces (empty for none).</summary>
    public static string Join(IReadOnlyList<string> roles) => string.Join(' ', roles);

    /// <summary>The stored form read back; names that are not valid (a hand-edited row) are dropped, never issued.</summary>
    public static IReadOnlyList<string> Split(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : [.. stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(IsValidName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
