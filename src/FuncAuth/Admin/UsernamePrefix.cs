using System.Buffers.Text;
using FuncAuth.Accounts;

namespace FuncAuth.Admin;

/// <summary>
/// A username prefix as the listing matches it: as usernames are compared (NFKC, trimmed, case-folded: see
/// <see cref="Username"/>), on the bytes of the folded name. A user's key is the base64url of those bytes, and base64 encodes
/// each 3 bytes into 4 characters on its own: so the prefix's whole 3-byte groups are a prefix of every matching key (the
/// range of partitions the table is asked for), and the 1 or 2 bytes left over are compared exactly on each key read.
/// </summary>
internal sealed class UsernamePrefix
{
    private readonly byte[] _folded;

    private UsernamePrefix(string key, byte[] folded)
    {
        Key = key;
        _folded = folded;
        KeyRange = Base64Url.EncodeToString(folded.AsSpan(0, folded.Length / 3 * 3));
    }

    /// <summary>The prefix's own key (the folded name's base64url): what a cursor records, to be used with this prefix only.</summary>
    public string Key { get; }

    /// <summary>The key prefix every matching user's key starts with (empty for a prefix shorter than 3 bytes: no range).</summary>
    public string KeyRange { get; }

    public static bool TryCreate(string raw, out UsernamePrefix? prefix, out string? error)
    {
        prefix = null;
        if (!Username.TryCreate(raw, out var username, out error))
        {
            return false;
        }

        prefix = new UsernamePrefix(username!.Key, Base64Url.DecodeFromChars(username.Key));
        return true;
    }

    /// <summary>Whether the user stored under <paramref name="key"/> has a name that starts with the prefix.</summary>
    public bool Matches(string key)
    {
        Span<byte> bytes = stackalloc byte[Base64Url.GetMaxDecodedLength(key.Length)];
        return Base64Url.TryDecodeFromChars(key, bytes, out var written) && bytes[..written].StartsWith(_folded);
    }
}
