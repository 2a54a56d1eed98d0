namespace FuncAuth.Accounts.Unicode;

/// <summary>What a code point is, as far as usernames care. The numbers are those the table generator writes.</summary>
internal enum CodePointKind : byte
{
    Allowed = 0,

    /// <summary>Mn, Mc, Me: allowed only after a letter or other base character.</summary>
    CombiningMark = 1,
    Control = 2,
    Surrogate = 3,
    Noncharacter = 4,
    Unassigned = 5,
    PrivateUse = 6,

    /// <summary>Default-ignorable (invisible: zero-width space, joiners, variation selectors) or Cf (bidi controls).</summary>
    Format = 7,

    /// <summary>Line and paragraph separators.</summary>
    Separator = 8,
}
