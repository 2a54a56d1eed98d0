using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fido2NetLib;

namespace FuncAuth.Passkeys;

/// <summary>
/// Reading what a browser's <c>PublicKeyCredential.toJSON()</c> sends, strictly (a property given twice is an error;
/// members WebAuthn added later, such as <c>authenticatorAttachment</c> or <c>response.publicKey</c>, are ignored), and the
/// one field read before Fido2 verifies anything: clientDataJSON's challenge and origin, to find the stored options.
/// </summary>
internal static class PasskeyJson
{
    public static AuthenticatorAttestationRawResponse? ReadAttestation(string json)
    {
        try
        {
            var raw = JsonSerializer.Deserialize(json, PasskeyJsonContext.Default.AuthenticatorAttestationRawResponse);
            return raw is { Id: { Length: > 0 } id, RawId: { Length: > 0 } rawId, Response: { AttestationObject: { Length: > 0 }, ClientDataJson: { Length: > 0 } } }
                && id == Base64Url.EncodeToString(rawId)
                ? raw
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static AuthenticatorAssertionRawResponse? ReadAssertion(string json)
    {
        try
        {
            var raw = JsonSerializer.Deserialize(json, PasskeyJsonContext.Default.AuthenticatorAssertionRawResponse);
            return raw is
            {
                Id: { Length: > 0 } id, RawId: { Length: > 0 } rawId,
                Response: { AuthenticatorData: { Length: > 0 }, ClientDataJson: { Length: > 0 }, Signature: { Length: > 0 } },
            }
                && id == Base64Url.EncodeToString(rawId)
                ? raw
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>clientDataJSON's type, challenge (base64url) and origin, or null when it is not JSON of that shape.</summary>
    public static ClientData? ReadClientData(byte[] clientDataJson)
    {
        try
        {
            return JsonSerializer.Deserialize(clientDataJson, PasskeyJsonContext.Default.ClientData) is { Type: not null, Challenge: not null, Origin: not null } data
                ? data
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal sealed record ClientData(
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("challenge")] string? Challenge,
        [property: JsonPropertyName("origin")] string? Origin);
}

[JsonSourceGenerationOptions(AllowDuplicateProperties = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(AuthenticatorAttestationRawResponse))]
[JsonSerializable(typeof(AuthenticatorAssertionRawResponse))]
[JsonSerializable(typeof(PasskeyJson.ClientData))]
internal sealed partial class PasskeyJsonContext : JsonSerializerContext;
