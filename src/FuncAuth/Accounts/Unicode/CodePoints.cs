namespace FuncAuth.Accounts.Unicode;

/// <summary>Properties of code points, from the pinned tables.</summary>
internal static class CodePoints
{
    public static CodePointKind Kind(int codePoint) => (CodePointKind)(RangeValue(codePoint) & 0xFF);

    public static int CombiningClass(int codePoint) => RangeValue(codePoint) >> 8;

    public static bool IsWhiteSpace(int codePoint) => Find(UnicodeTables.WhiteSpace, codePoint) >= 0;

    /// <summary>
    /// <see cref="MemoryExtensions.BinarySearch{T}(ReadOnlySpan{T}, IComparable{T})"/> without boxing the
    /// value on every call, which the overload taking an <see cref="IComparable{T}"/> does.
    /// </summary>
    public static int Find(ReadOnlySpan<int> sorted, int codePoint) => sorted.BinarySearch<int, int>(codePoint);

    private static int RangeValue(int codePoint)
    {
        var index = Find(UnicodeTables.RangeStarts, codePoint);
        return UnicodeTables.RangeValues[index >= 0 ? index : ~index - 1];
    }
}
