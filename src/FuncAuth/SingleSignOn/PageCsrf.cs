using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// Anti-forgery for the sign-in, registration, forgot-password and sign-out forms: OWASP's signed double-submit cookie. The
/// form's page sets a random 256-bit value in a cookie (HttpOnly, SameSite=Strict, <c>__Host-</c> over HTTPS) and puts
/// HMAC-SHA256(key, value) in the hidden field <see cref="FieldName"/>; a POST is accepted only when the field is the HMAC of
/// the cookie it came with. A page elsewhere can neither read the cookie nor make the browser send it (Strict), nor plant
/// its own (the prefix), so it cannot forge a pair; login CSRF (signing a victim into the attacker's account) is refused.
/// </summary>
/// <remarks>
/// The key must be the same on every instance (any instance may receive the POST) and must not be in storage (whoever
/// reads the tables must not be able to forge forms). It is derived with HKDF-SHA256 from the active signing key's private
/// material, which every instance already holds in its configuration and which never leaves it. Rotating the signing key
/// rotates this key: a form shown just before the rotation is refused once, and the reloaded page works.
/// </remarks>
internal sealed class PageCsrf
{
    public const string FieldName = "csrf";

    private static readonly byte[] Info = Encoding.ASCII.GetBytes("FuncAuth page forms (signed double-submit) v1");

    private readonly byte[] _key;

    public PageCsrf(SigningKeys keys)
    {
        var material = PrivateMaterial(keys.Active.SecurityKey);
        try
        {
            _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, salt: [], info: Info);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>
    /// The hidden field's value for the form about to be shown; sets the cookie when the browser has none of ours (kept
    /// otherwise, so two tabs of the page both work).
    /// </summary>
    public string Issue(HttpRequest request)
    {
        var value = PageCookies.Read(request, PageCookies.CsrfName);
        if (!IsValue(value))
        {
            value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

            // A session cookie (no expiry): it only has to outlive the form.
            PageCookies.Write(request, PageCookies.CsrfName, value, SameSiteMode.Strict, expires: null);
        }

        return Sign(value!);
    }

    /// <summary>Whether the posted field is the HMAC of the request's cookie (compared in constant time).</summary>
    public bool Verify(HttpRequest request, string? field)
    {
        var value = PageCookies.Read(request, PageCookies.CsrfName);
        if (!IsValue(value) || field is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(value!));
        var presented = Encoding.UTF8.GetBytes(field);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private string Sign(string value) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(value)));

    private static bool IsValue(string? value) => value is { Length: 43 } && Base64Url.IsValid(value);

    private static byte[] PrivateMaterial(SecurityKey key) => key switch
    {
        SymmetricSecurityKey symmetric => [.. symmetric.Key],
        ECDsaSecurityKey ec => ec.ECDsa.ExportParameters(includePrivateParameters: true).D
            ?? throw new InvalidOperationException("The active signing key has no private part."),
        RsaSecurityKey rsa => (rsa.Rsa?.ExportParameters(includePrivateParameters: true) ?? rsa.Parameters).D
            ?? throw new InvalidOperationException("The active signing key has no private part."),
        _ => throw new InvalidOperationException($"The active signing key's type ({key.GetType().Name}) is not one FuncAuth reads."),
    };
}
