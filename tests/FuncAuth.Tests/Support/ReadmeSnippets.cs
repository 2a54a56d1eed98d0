namespace FuncAuth.Tests.Support;

/// <summary>
/// The README's code snippets, and the code they must equal: a snippet is the fence after a <c>&lt;!-- snippet: name</c>
/// line of README.md; its source is the block between <c>// &lt;readme:name&gt;</c> and <c>// &lt;/readme:name&gt;</c>
/// in a file the tests run, without the block's common indentation.
/// </summary>
internal static class ReadmeSnippets
{
    /// <summary>The code of the fence after <c>&lt;!-- snippet: name</c> in README.md.</summary>
    public static string Snippet(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(StorageFixture.RepositoryRoot, "README.md"));
        var mark = Array.FindIndex(lines, l => l.StartsWith($"<!-- snippet: {name} ", StringComparison.Ordinal));
        Assert.True(mark >= 0, $"README.md has no snippet mark for {name}.");
        var open = Array.FindIndex(lines, mark, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(lines, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        return string.Join('\n', lines[(open + 1)..close]);
    }

    /// <summary>The lines between the <c>readme:name</c> marks of the repository file <paramref name="path"/>, unindented.</summary>
    public static string[] Marked(string path, string name)
    {
        var source = File.ReadAllLines(Path.Combine(StorageFixture.RepositoryRoot, path));
        var start = Array.FindIndex(source, l => l.Trim() == $"// <readme:{name}>");
        var end = Array.FindIndex(source, l => l.Trim() == $"// </readme:{name}>");
        Assert.True(start >= 0 && end > start, $"The readme:{name} marks are missing.");
        var lines = source[(start + 1)..end];
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return [.. lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())];
    }
}
