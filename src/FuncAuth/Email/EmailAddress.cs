using System.Diagnostics.CodeAnalysis;

namespace FuncAuth.Email;

/// <summary>
/// A validated email address: an RFC 5321 mailbox (no display name, no comments, no CR/LF, at most 254 characters),
/// its domain in ASCII (IDNA) form. <see cref="Value"/> is what is stored and sent to; <see cref="Key"/> identifies the
/// address case-insensitively without revealing it (the hash of its upper-case form, hex).
/// </summary>
internal sealed record EmailAddress(string Value, string Key)
{
    public static bool TryCreate(string? input, [NotNullWhen(true)] out EmailAddress? address, [NotNullWhen(false)] out string? error) =>
        throw new NotImplementedException("skeleton");
}
