using System.Buffers.Text;
using System.Security.Cryptography;

namespace FuncAuth.Accounts;

/// <summary>
/// The version of what proves a user (ASP.NET Core Identity's security stamp): 128 random bits, base64url. A row stored
/// before stamps existed reads as the empty stamp, as do its sessions, so they stay valid until the first rotation.
/// </summary>
internal static class SecurityStamp
{
    public const string None = "";

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
