namespace FuncAuth.Accounts.Unicode;

/// <summary>
/// Unicode full default case folding (CaseFolding.txt statuses C and F, so <c>ß</c> and <c>ẞ</c> fold to
/// <c>ss</c>), from the pinned tables: unlike <see cref="string.ToUpperInvariant()"/> it does not follow the
/// host's ICU or .NET's own Unicode version, so what folds together today folds together on every host.
/// </summary>
internal static class CaseFolding
{
    public static List<int> Fold(List<int> codePoints)
    {
        var folded = new List<int>(codePoints.Count);
        foreach (var codePoint in codePoints)
        {
            var index = CodePoints.Find(UnicodeTables.FoldKeys, codePoint);
            if (index < 0)
            {
                folded.Add(codePoint);
                continue;
            }

            var start = UnicodeTables.FoldStarts[index];
            folded.AddRange(UnicodeTables.FoldData[start..UnicodeTables.FoldStarts[index + 1]]);
        }

        return folded;
    }
}
