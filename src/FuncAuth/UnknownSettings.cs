using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FuncAuth;

/// <summary>
/// An options class bound from a section under <c>FuncAuth:</c> (registered by <see cref="StrictBinding"/>); with
/// <paramref name="IsList"/>, the section is an array whose elements are <paramref name="OptionsType"/>.
/// </summary>
internal sealed record BoundSection(string Name, Type OptionsType, bool IsList = false);

/// <summary>A key under <c>FuncAuth:</c> that a host or the core reads from configuration itself, not through options.</summary>
internal sealed record DirectSetting(string Key);

/// <summary>The start-up check of the settings' names; it has no values of its own.</summary>
internal sealed class SettingNamesCheck;

/// <summary>
/// Refuses, at start-up, any key under <c>FuncAuth:</c> that nothing reads. The binder ignores a key it has no
/// property for, so a misspelt <c>FuncAuth__Lockout__MaxFailedAttemps</c> would silently leave the default in force:
/// for an auth service a typo must not weaken it unnoticed. Only keys are named, never values (they may be secrets).
/// The known keys come from the options classes themselves (by reflection), so a new setting needs no list here.
/// </summary>
internal sealed class UnknownSettings(
    IConfiguration configuration, IEnumerable<BoundSection> sections, IEnumerable<DirectSetting> direct) : IValidateOptions<SettingNamesCheck>
{
    public const string Root = "FuncAuth";

    public ValidateOptionsResult Validate(string? name, SettingNamesCheck options)
    {
        var known = SettingNames.From(sections, direct.Select(d => d.Key));
        var failures = new List<string>();
        foreach (var (key, value) in configuration.GetSection(Root).AsEnumerable())
        {
            if (known.Refusal(key, value, configuration.GetSection(key).GetChildren().Any()) is { } refusal)
            {
                failures.Add(refusal);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The keys FuncAuth reads under <c>FuncAuth:</c>; compared case-insensitively, as configuration keys are.</summary>
internal sealed class SettingNames
{
    private readonly HashSet<string> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _lists = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sections = new(StringComparer.OrdinalIgnoreCase) { UnknownSettings.Root };

    // Sections that are arrays of objects: their elements' keys are known as element 0's (FuncAuth:Clients:0:ClientId).
    private readonly HashSet<string> _objectLists = new(StringComparer.OrdinalIgnoreCase);

    public static SettingNames From(IEnumerable<BoundSection> sections, IEnumerable<string> directKeys)
    {
        var names = new SettingNames();
        foreach (var section in sections)
        {
            names.AddSection(section.Name);
            if (section.IsList)
            {
                names._objectLists.Add(section.Name);
                names.AddSection(section.Name + ":0");
                names.AddProperties(section.OptionsType, section.Name + ":0");
            }
            else
            {
                names.AddProperties(section.OptionsType, section.Name);
            }
        }

        foreach (var key in directKeys)
        {
            names.AddSetting(key);
        }

        return names;
    }

    /// <summary>What every known setting is called, lists as their first element (for suggestions and tests).</summary>
    public IEnumerable<string> Suggestions => _settings.Concat(_lists.Select(l => l + ":0"));

    /// <summary>
    /// Why <paramref name="key"/> is refused, or null when FuncAuth reads it. A path that only leads to other keys
    /// (<c>FuncAuth:Tokens</c>, with no value) is fine; its children are checked in their turn.
    /// </summary>
    public string? Refusal(string key, string? value, bool hasChildren)
    {
        var written = key;
        key = AsFirstElement(key);
        if (_settings.Contains(key) || _lists.Any(list => key.StartsWith(list + ":", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var isList = _lists.Contains(key) || _objectLists.Contains(key);
        var isPath = _sections.Contains(key) || isList;
        if (string.IsNullOrEmpty(value) && (isPath || hasChildren))
        {
            return null;
        }

        if (isList)
        {
            // The binder ignores a single value given for a list: the key would look set and do nothing.
            return $"{written} is a list: set {written}:0, {written}:1, … (app settings {AppSetting(written)}__0, __1, …).";
        }

        return isPath
            ? $"{written} is a group of settings, not a setting; set the ones under it, such as {Nearest(key + ":")}."
            : $"{written} is not a FuncAuth setting; did you mean {Nearest(key)}?";
    }

    /// <summary>The known setting closest to <paramref name="key"/>: fewest single-character edits, ignoring case.</summary>
    public string Nearest(string key) =>
        Suggestions.OrderBy(known => Distance(key, known)).ThenBy(known => known, StringComparer.Ordinal).First();

    /// <summary>Levenshtein distance, case-insensitive (configuration keys are).</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The key with the index of an array of objects written as 0 (FuncAuth:Clients:3:ClientId → FuncAuth:Clients:0:ClientId).</summary>
    private string AsFirstElement(string key)
    {
        foreach (var list in _objectLists)
        {
            if (key.Length > list.Length + 1 && key.StartsWith(list + ":", StringComparison.OrdinalIgnoreCase))
            {
                var start = list.Length + 1;
                var end = key.IndexOf(':', start);
                var index = end < 0 ? key[start..] : key[start..end];
                if (index.Length > 0 && index.All(char.IsAsciiDigit))
                {
                    return string.Concat(key.AsSpan(0, start), "0", end < 0 ? string.Empty : key[end..]);
                }
            }
        }

        return key;
    }

    private static string AppSetting(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private void AddSetting(string key)
    {
        _settings.Add(key);
        AddSection(key[..Math.Max(0, key.LastIndexOf(':'))]);
    }

    private void AddSection(string path)
    {
        for (var end = path.Length; end > 0; end = path.LastIndexOf(':', end - 1))
        {
            _sections.Add(path[..end]);
        }
    }

    /// <summary>What the configuration binder would bind: settable values, collections (also get-only ones) and nested objects.</summary>
    private void AddProperties(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            var propertyType = property.PropertyType;
            if (IsValue(propertyType))
            {
                if (property.GetSetMethod() is not null)
                {
                    AddSetting(key);
                }
            }
            else if (propertyType.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            {
                _lists.Add(key);
                AddSection(key);
            }
            else if (propertyType.IsClass && type != propertyType)
            {
                AddSection(key);
                AddProperties(propertyType, key);
            }
        }
    }

    private static bool IsValue(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(string) || underlying.IsPrimitive || underlying.IsEnum ||
            TypeDescriptor.GetConverter(underlying).CanConvertFrom(typeof(string));
    }
}
