using System.Buffers.Text;
using System.Text;
using FuncAuth.Accounts;
using FuncAuth.Accounts.Unicode;

namespace FuncAuth.Tests.Accounts;

/// <summary>The pinned Unicode tables, checked over every code point.</summary>
public sealed class UsernameUnicodeTests
{
    private static readonly int[] Assigned = [.. Enumerable.Range(0, 0x110000)
        .Where(c => CodePoints.Kind(c) is not (CodePointKind.Unassigned or CodePointKind.Noncharacter or CodePointKind.Surrogate))];

    /// <summary>Every code point accepted as a name on its own, with its name.</summary>
    private static readonly Lazy<(int CodePoint, Username Name)[]> AcceptedAlone = new(() =>
    [
        .. Assigned
            .Select(c => (CodePoint: c, Accepted: Username.TryCreate(char.ConvertFromUtf32(c), out var name, out _), Name: name))
            .Where(c => c.Accepted)
            .Select(c => (c.CodePoint, c.Name!)),
    ]);

    [Fact]
    public void Nfkc_agrees_with_icu_for_every_assigned_code_point_alone_and_among_marks()
    {
        // Normalisation of assigned characters never changes, so any ICU from Unicode 15.0 on must agree.
        Assert.SkipUnless("\U0001E030".Normalize(NormalizationForm.FormKC) == "\u0430", "The host's ICU predates Unicode 15.0 (or globalization is invariant).");

        // One line per sample: a line feed neither composes nor reorders, so lines normalise independently.
        var samples = new StringBuilder();
        foreach (var codePoint in Assigned.Where(c => c != '\n'))
        {
            var text = char.ConvertFromUtf32(codePoint);
            samples.Append(text).Append('\n');
            if (CodePoints.CombiningClass(codePoint) != 0 || CodePoints.Kind(codePoint) == CodePointKind.CombiningMark
                || codePoint is >= 0x1100 and < 0x1200 || text.Normalize(NormalizationForm.FormKD) != text)
            {
                samples.Append('e').Append(text).Append("\u0301\n") // composition after a starter, or blocked
                    .Append(text).Append("\u0323\u0301\n") // reordering among marks
                    .Append('\u1100').Append(text).Append('\n') // Hangul L + V
                    .Append('\uAC00').Append(text).Append("\u11A8\n"); // Hangul LV + T
            }
        }

        var input = samples.ToString();
        var ours = string.Concat(Nfkc.Normalize([.. input.EnumerateRunes().Select(r => r.Value)]).Select(char.ConvertFromUtf32));
        Assert.Equal(input.Normalize(NormalizationForm.FormKC).Split('\n'), ours.Split('\n'));
    }

    [Fact]
    public void Every_accepted_character_keys_as_its_folded_form_does()
    {
        foreach (var (codePoint, name) in AcceptedAlone.Value)
        {
            var folded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(name.Key));
            if (!Username.TryCreate(folded, out var again, out var error) || again!.Key != name.Key)
            {
                Assert.Fail($"U+{codePoint:X4} folds to {folded}, which is {(again is null ? $"refused: {error}" : "keyed differently")}.");
            }
        }
    }

    [Fact]
    public void The_longest_name_of_the_widest_folding_character_still_makes_a_valid_key()
    {
        var widest = AcceptedAlone.Value.Select(c => c.Name).MaxBy(name => (double)name.Key.Length / name.Display.Length)!;
        var longest = string.Concat(Enumerable.Repeat(widest.Display, Username.MaxLength / widest.Display.Length));

        Assert.True(Username.TryCreate(longest, out var username, out var error), error);
        Assert.InRange(username!.Key.Length, 1, 1024); // Table Storage's limit for a key
    }
}
