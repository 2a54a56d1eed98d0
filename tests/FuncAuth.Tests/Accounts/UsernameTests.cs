using System.Buffers.Text;
using System.Text;
using FuncAuth.Accounts;

namespace FuncAuth.Tests.Accounts;

public sealed class UsernameTests
{
    [Theory]
    [MemberData(nameof(UsernameExamples.AcceptedNames), MemberType = typeof(UsernameExamples))]
    public void Accepted_names_are_shown_normalised_and_trimmed_and_keyed_safely(string raw)
    {
        var name = Create(raw);
        Assert.Equal(raw.Normalize(NormalizationForm.FormKC).Trim(), name.Display);
        Assert.Matches("^[A-Za-z0-9_-]+$", name.Key);
    }

    [Fact]
    public void Names_of_one_group_share_a_key_and_groups_do_not()
    {
        var keysByGroup = UsernameExamples.SameNameGroups.Select(group => group.Select(n => Create(n).Key).Distinct().ToArray()).ToArray();
        Assert.All(keysByGroup, keys => Assert.Single(keys));
        Assert.Equal(keysByGroup.Length, keysByGroup.Select(keys => keys[0]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(UsernameExamples.Refused), MemberType = typeof(UsernameExamples))]
    public void Refused_names_say_why(string raw, string reason)
    {
        Assert.False(Username.TryCreate(raw, out var username, out var error));
        Assert.Null(username);
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Strasse_with_sharp_s_and_capital_sharp_s_is_one_name()
    {
        Assert.Equal("strasse", Comparable(Create("stra\u00DFe")));
        Assert.Equal(Create("stra\u00DFe").Key, Create("STRA\u1E9EE").Key);
        Assert.Equal("STRA\u1E9EE", Create("STRA\u1E9EE").Display);
    }

    [Theory]
    [InlineData("\u0264", "\uA7CB")] // ɤ and Ɤ
    [InlineData("\u019B", "\uA7DC")] // ƛ and Ƛ
    public void Letters_whose_capitals_came_after_Unicode_15_keep_their_key_and_the_capitals_are_refused(string small, string capital)
    {
        // ICU 72 upper-cases ɤ to itself, Unicode 16 to Ɤ: keys made with ToUpperInvariant moved with the host.
        // Folding by the pinned Unicode 15.0 keys ɤ as itself on every host, and its capital, assigned in
        // Unicode 16, is refused as unassigned: nobody can register a second account that looks the same.
        Assert.Equal(small, Comparable(Create(small)));
        Assert.Equal(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(small)), Create(small).Key);
        Assert.False(Username.TryCreate(capital, out _, out var error));
        Assert.Contains("unassigned in Unicode 15.0.0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Acute_accent_does_not_become_a_leading_space_and_mark()
    {
        // NFKC of ´ (U+00B4) is U+0020 U+0301: trimmed, the name would start with a bare combining mark.
        Assert.False(Username.TryCreate("\u00B4alice", out _, out _));
        Assert.True(Username.TryCreate("alice\u0301", out _, out _));
    }

    [Fact]
    public void Names_with_lone_surrogates_are_refused()
    {
        // Built here: theory data would be serialised, and a lone surrogate does not survive that.
        foreach (var raw in new[] { "a" + (char)0xD800 + "b", "a" + (char)0xDC00, ((char)0xDBFF).ToString() })
        {
            Assert.False(Username.TryCreate(raw, out _, out var error));
            Assert.Equal("The username contains invalid Unicode.", error);
        }
    }

    [Fact]
    public void Null_is_refused_like_an_empty_name()
    {
        Assert.False(Username.TryCreate(null, out _, out var error));
        Assert.Equal("The username is required.", error);
    }

    [Fact]
    public void Length_counts_utf16_units_of_the_normalised_name()
    {
        Assert.True(Username.TryCreate(new string('a', Username.MaxLength), out _, out _));
        Assert.True(Username.TryCreate(" " + new string('a', Username.MaxLength) + " ", out _, out _));
        Assert.False(Username.TryCreate(new string('a', Username.MaxLength + 1), out _, out _));
        Assert.False(Username.TryCreate(string.Concat(Enumerable.Repeat("\uD83D\uDE00", (Username.MaxLength / 2) + 1)), out _, out _));
    }

    private static Username Create(string raw)
    {
        Assert.True(Username.TryCreate(raw, out var username, out var error), error);
        return username!;
    }

    private static string Comparable(Username name) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(name.Key));
}
