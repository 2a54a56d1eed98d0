using FuncAuth.Email;

namespace FuncAuth.Tests.Email.Addresses;

/// <summary>What an address may be: an RFC 5321 mailbox, nothing a header could be talked into reading as more.</summary>
public sealed class EmailAddressTests
{
    public static TheoryData<string, string> Accepted => new()
    {
        { "user@example.com", "user@example.com" },
        { "first.last@example.com", "first.last@example.com" },
        { "User.Name+tag@Example.COM", "User.Name+tag@example.com" },
        { "a@b.co", "a@b.co" },
        { "!#$%&'*+-/=?^_`{|}~@example.org", "!#$%&'*+-/=?^_`{|}~@example.org" },
        { "user@sub-domain.example.co.uk", "user@sub-domain.example.co.uk" },
        { "user@bücher.example", "user@xn--bcher-kva.example" },
        { "user@BÜCHER.example", "user@xn--bcher-kva.example" },
        { "user@xn--bcher-kva.example", "user@xn--bcher-kva.example" },
        { "user@例え.テスト", "user@xn--r8jz45g.xn--zckzah" },
        { "user@123.example", "user@123.example" },
        { new string('a', 64) + "@example.com", new string('a', 64) + "@example.com" },
    };

    public static TheoryData<string, string> Refused => new()
    {
        { "", "empty" },
        { "user", "@" },
        { "user@@example.com", "exactly one @" },
        { "a@b@example.com", "exactly one @" },
        { "@example.com", "before the @" },
        { "user@", "domain after the @" },
        { "user@example.com\r\nBcc: victim@example.org", "line breaks" },
        { "user@example.com\n", "line breaks" },
        { "user\r@example.com", "line breaks" },
        { "user@exam\u0000ple.com", "control" },
        { "us er@example.com", "spaces" },
        { " user@example.com", "spaces" },
        { "user@example.com\t", "spaces" },
        { "user\u00a0@example.com", "spaces" },
        { "Name <a@b.c>", "spaces" },
        { "<a@b.com>", "display name" },
        { "Name<a@b.com>", "display name" },
        { "a(comment)@b.com", "comments" },
        { "a@b.com(comment)", "comments" },
        { "\"quoted\"@example.com", "Quoted" },
        { "\"a b\"@example.com", "spaces" },
        { "ü@example.com", "ASCII" },
        { "usér@example.com", "ASCII" },
        { "user,other@example.com", "ASCII" },
        { "user;x@example.com", "ASCII" },
        { "user:x@example.com", "ASCII" },
        { "user\\x@example.com", "ASCII" },
        { ".user@example.com", "dot" },
        { "user.@example.com", "dot" },
        { "us..er@example.com", "dot" },
        { new string('a', 65) + "@example.com", "64" },
        { "user@localhost", "two labels" },
        { "user@example", "two labels" },
        { "user@[192.0.2.1]", "IP address literal" },
        { "user@[IPv6:2001:db8::1]", "IP address literal" },
        { "user@192.0.2.1", "IP address" },
        { "user@example.com.", "dot" },
        { "user@.example.com", "dot" },
        { "user@exa..mple.com", "dot" },
        { "user@-example.com", "hyphen" },
        { "user@example-.com", "hyphen" },
        { "user@exa_mple.com", "host name" },
        { "user@exa mple.com", "spaces" },
        { "user@" + new string('d', 64) + ".com", "63" },
        { "user@" + string.Join('.', Enumerable.Repeat(new string('a', 55) + "ü", 4)) + ".com", "253" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void A_mailbox_is_accepted_with_its_domain_in_lower_case_ASCII(string input, string expected)
    {
        Assert.True(EmailAddress.TryCreate(input, out var address, out var error), error);
        Assert.Equal(expected, address.Value);
        Assert.Matches("^[0-9a-f]{64}$", address.Key);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Anything_but_a_mailbox_is_refused_saying_what_is_wrong(string input, string expectedInError)
    {
        Assert.False(EmailAddress.TryCreate(input, out var address, out var error));
        Assert.Null(address);
        Assert.Contains(expectedInError, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.False(EmailAddress.TryCreate(null, out _, out var error));
        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void At_most_254_characters_in_all()
    {
        // 64 + 1 + 189 = 254: labels of 63, 63 and 57 and "com" make a domain of 189.
        var local = new string('l', 64);
        var domain = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 57), "com");
        var longest = $"{local}@{domain}";
        Assert.Equal(254, longest.Length);
        Assert.True(EmailAddress.TryCreate(longest, out var address, out var error), error);
        Assert.Equal(longest, address.Value);

        var tooLong = $"{local}@{string.Join('.', new string('a', 63), new string('b', 63), new string('c', 58), "com")}";
        Assert.Equal(255, tooLong.Length);
        Assert.False(EmailAddress.TryCreate(tooLong, out _, out var tooLongError));
        Assert.Contains("254", tooLongError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_internationalised_domain_that_is_too_long_in_ASCII_is_refused()
    {
        // 239 characters as typed; each label of 56 becomes 63 in its xn-- form, 260 in all.
        var labels = Enumerable.Repeat(new string('a', 55) + "ü", 3);
        var input = $"{new string('l', 64)}@{string.Join('.', labels)}.com";
        Assert.Equal(239, input.Length);
        Assert.True(input.Length <= 254);
        Assert.False(EmailAddress.TryCreate(input, out _, out var error));
        Assert.Contains("254", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_ignores_case_and_does_not_contain_the_address()
    {
        Assert.True(EmailAddress.TryCreate("Alice.Smith@Example.com", out var upper, out _));
        Assert.True(EmailAddress.TryCreate("alice.smith@EXAMPLE.COM", out var lower, out _));
        Assert.True(EmailAddress.TryCreate("alice.smith2@example.com", out var other, out _));
        Assert.Equal(upper.Key, lower.Key);
        Assert.NotEqual(upper.Key, other.Key);
        Assert.NotEqual(upper.Value, lower.Value);
        Assert.DoesNotContain("alice", upper.Key, StringComparison.OrdinalIgnoreCase);

        // The hash of the upper-case form, in lower-case hex: stable across versions, since stored rows are keyed by it.
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("ALICE.SMITH@EXAMPLE.COM"u8)),
            upper.Key);
    }

    [Fact]
    public void An_IDN_and_its_ASCII_form_are_the_same_address()
    {
        Assert.True(EmailAddress.TryCreate("user@bücher.example", out var unicode, out _));
        Assert.True(EmailAddress.TryCreate("USER@XN--BCHER-KVA.EXAMPLE", out var ascii, out _));
        Assert.Equal(unicode.Key, ascii.Key);
    }
}
