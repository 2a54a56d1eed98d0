namespace FuncAuth.Accounts.Unicode;

/// <summary>
/// Unicode normalisation form KC (UAX #15) from the pinned tables. Not <see cref="string.Normalize()"/>:
/// that calls ICU on Linux, and with invariant globalization it returns non-ASCII text unchanged, so a
/// key built on it would depend on how the host runs. Normalisation is stable for assigned characters
/// (Unicode's stability policy) and names holding code points unassigned in these tables are refused,
/// so an accepted name normalises the same here as under any later Unicode version.
/// </summary>
internal static class Nfkc
{
    // Hangul syllables decompose and compose arithmetically (Unicode §3.12).
    private const int SBase = 0xAC00;
    private const int LBase = 0x1100;
    private const int VBase = 0x1161;
    private const int TBase = 0x11A7;
    private const int LCount = 19;
    private const int VCount = 21;
    private const int TCount = 28;
    private const int SCount = LCount * VCount * TCount;

    public static List<int> Normalize(List<int> codePoints)
    {
        var buffer = new List<int>(codePoints.Count);
        foreach (var codePoint in codePoints)
        {
            Decompose(codePoint, buffer);
        }

        OrderCombiningMarks(buffer);
        Compose(buffer);
        return buffer;
    }

    private static void Decompose(int codePoint, List<int> into)
    {
        var syllable = codePoint - SBase;
        if (syllable is >= 0 and < SCount)
        {
            into.Add(LBase + (syllable / (VCount * TCount)));
            into.Add(VBase + (syllable % (VCount * TCount) / TCount));
            if (syllable % TCount != 0)
            {
                into.Add(TBase + (syllable % TCount));
            }

            return;
        }

        var index = CodePoints.Find(UnicodeTables.DecompositionKeys, codePoint);
        if (index < 0)
        {
            into.Add(codePoint);
            return;
        }

        var start = UnicodeTables.DecompositionStarts[index];
        into.AddRange(UnicodeTables.DecompositionData[start..UnicodeTables.DecompositionStarts[index + 1]]);
    }

    /// <summary>The canonical ordering algorithm: a stable sort of each run of marks by combining class.</summary>
    private static void OrderCombiningMarks(List<int> buffer)
    {
        for (var i = 1; i < buffer.Count; i++)
        {
            var codePoint = buffer[i];
            var combiningClass = CodePoints.CombiningClass(codePoint);
            var j = i;
            for (; j > 0 && CodePoints.CombiningClass(buffer[j - 1]) > combiningClass && combiningClass != 0; j--)
            {
                buffer[j] = buffer[j - 1];
            }

            buffer[j] = codePoint;
        }
    }

    /// <summary>The canonical composition algorithm: each mark joins the last starter unless blocked.</summary>
    private static void Compose(List<int> buffer)
    {
        if (buffer.Count == 0)
        {
            return;
        }

        var starter = 0;
        // A leading mark has no starter to join: 256 blocks it and what follows until a starter comes.
        var lastClass = CodePoints.CombiningClass(buffer[0]) == 0 ? 0 : 256;
        var kept = 1;
        for (var i = 1; i < buffer.Count; i++)
        {
            var codePoint = buffer[i];
            var combiningClass = CodePoints.CombiningClass(codePoint);
            if ((lastClass < combiningClass || lastClass == 0) && TryCompose(buffer[starter], codePoint, out var composite))
            {
                buffer[starter] = composite;
                continue;
            }

            if (combiningClass == 0)
            {
                starter = kept;
            }

            lastClass = combiningClass;
            buffer[kept++] = codePoint;
        }

        buffer.RemoveRange(kept, buffer.Count - kept);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        if (first - LBase is >= 0 and < LCount && second - VBase is >= 0 and < VCount)
        {
            composite = SBase + ((((first - LBase) * VCount) + (second - VBase)) * TCount);
            return true;
        }

        if (first - SBase is >= 0 and < SCount && (first - SBase) % TCount == 0 && second - TBase is > 0 and < TCount)
        {
            composite = first + (second - TBase);
            return true;
        }

        var index = UnicodeTables.CompositionKeys.BinarySearch<long, long>(((long)first << 21) | (uint)second);
        composite = index >= 0 ? UnicodeTables.CompositionValues[index] : 0;
        return index >= 0;
    }
}
