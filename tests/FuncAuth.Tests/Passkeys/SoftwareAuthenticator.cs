using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncAuth.Tests.Passkeys;

/// <summary>
/// A software WebAuthn authenticator holding one discoverable ES256 (ECDSA P-256) credential, answering creation and
/// request options the way a browser's <c>PublicKeyCredential.toJSON()</c> would: base64url binaries, attestation format
/// "none". Self-contained on purpose (BCL and System.Formats.Cbor, which Fido2 brings along): the benchmark project links
/// this one file. The knobs (origin, RP id, flags, counter, user handle) let tests forge exactly one wrong thing at a time.
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    private const byte UserPresentFlag = 0x01;
    private const byte UserVerifiedFlag = 0x04;
    private const byte BackupEligibleFlag = 0x08;
    private const byte BackedUpFlag = 0x10;
    private const byte AttestedCredentialDataFlag = 0x40;

    private readonly ECDsa _key;

    /// <param name="origin">The origin the "browser" reports in clientDataJSON, e.g. https://auth.example.test.</param>
    public SoftwareAuthenticator(string origin)
        : this(origin, ECDsa.Create(ECCurve.NamedCurves.nistP256), RandomNumberGenerator.GetBytes(32))
    {
    }

    private SoftwareAuthenticator(string origin, ECDsa key, byte[] credentialId)
    {
        Origin = origin;
        _key = key;
        CredentialId = credentialId;
    }

    /// <summary>The origin written into clientDataJSON.</summary>
    public string Origin { get; set; }

    /// <summary>When set, the RP id hashed into the authenticator data instead of the one the options name.</summary>
    public string? RpIdOverride { get; set; }

    /// <summary>When set, the clientDataJSON type instead of webauthn.create / webauthn.get.</summary>
    public string? ClientDataTypeOverride { get; set; }

    /// <summary>The UP flag (user present).</summary>
    public bool UserPresent { get; set; } = true;

    /// <summary>The UV flag (user verified: PIN or biometrics).</summary>
    public bool UserVerified { get; set; } = true;

    /// <summary>The BE flag: a synced (backup-eligible) passkey when true, a device-bound one when false.</summary>
    public bool BackupEligible { get; set; }

    /// <summary>The BS flag (backed up); only meaningful with <see cref="BackupEligible"/>.</summary>
    public bool BackedUp { get; set; }

    /// <summary>The signature counter last reported. Registration reports it as is; each assertion adds <see cref="CounterStep"/> first.</summary>
    public uint SignCount { get; set; }

    /// <summary>How much each assertion raises <see cref="SignCount"/>; 0 for an authenticator without a counter (as synced passkeys are).</summary>
    public uint CounterStep { get; set; } = 1;

    /// <summary>The AAGUID reported at registration (zeros: "no attestation").</summary>
    public Guid Aaguid { get; set; } = Guid.Empty;

    /// <summary>The transports reported at registration.</summary>
    public IReadOnlyList<string> Transports { get; set; } = ["internal"];

    /// <summary>The credential id (raw bytes).</summary>
    public byte[] CredentialId { get; }

    /// <summary>The credential id as the server sees it: base64url.</summary>
    public string CredentialIdText => Base64Url(CredentialId);

    /// <summary>The user handle stored with the credential at registration (the options' user.id); settable to forge another user's handle.</summary>
    public byte[]? UserHandle { get; set; }

    /// <summary>The user handle decoded as UTF-8 (FuncAuth's user handle is the user id).</summary>
    public string? UserHandleText => UserHandle is null ? null : Encoding.UTF8.GetString(UserHandle);

    /// <summary>A second authenticator holding the same key, credential id, user handle and counter: a cloned device.</summary>
    public SoftwareAuthenticator Clone()
    {
        var copy = ECDsa.Create(_key.ExportParameters(includePrivateParameters: true));
        return new SoftwareAuthenticator(Origin, copy, (byte[])CredentialId.Clone())
        {
            UserHandle = UserHandle is null ? null : (byte[])UserHandle.Clone(),
            SignCount = SignCount,
            CounterStep = CounterStep,
            BackupEligible = BackupEligible,
            BackedUp = BackedUp,
            Aaguid = Aaguid,
            Transports = Transports,
        };
    }

    /// <summary>
    /// Answers creation options (the JSON <c>parseCreationOptionsFromJSON</c> reads) with an attestation as
    /// <c>PublicKeyCredential.toJSON()</c> writes it, and remembers the options' user.id as this credential's user handle.
    /// </summary>
    public string CreateAttestationJson(string creationOptionsJson)
    {
        var options = JsonNode.Parse(creationOptionsJson) ?? throw new ArgumentException("Options are not JSON.", nameof(creationOptionsJson));
        var challenge = (string?)options["challenge"] ?? throw new ArgumentException("Options have no challenge.", nameof(creationOptionsJson));
        var rpId = (string?)options["rp"]?["id"] ?? throw new ArgumentException("Options have no rp.id.", nameof(creationOptionsJson));
        var userId = (string?)options["user"]?["id"] ?? throw new ArgumentException("Options have no user.id.", nameof(creationOptionsJson));
        UserHandle = FromBase64Url(userId);
        return CreateAttestationJson(challenge, rpId);
    }

    /// <summary>An attestation for a given challenge (base64url) and RP id, for tests that forge the options themselves.</summary>
    public string CreateAttestationJson(string challenge, string rpId)
    {
        var clientDataJson = ClientData(ClientDataTypeOverride ?? "webauthn.create", challenge);
        var authenticatorData = AuthenticatorData(RpIdOverride ?? rpId, AttestedCredentialDataFlag, AttestedCredentialData());

        var cbor = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cbor.WriteStartMap(3);
        cbor.WriteTextString("fmt");
        cbor.WriteTextString("none");
        cbor.WriteTextString("attStmt");
        cbor.WriteStartMap(0);
        cbor.WriteEndMap();
        cbor.WriteTextString("authData");
        cbor.WriteByteString(authenticatorData);
        cbor.WriteEndMap();

        var credential = new JsonObject
        {
            ["id"] = CredentialIdText,
            ["rawId"] = CredentialIdText,
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url(clientDataJson),
                ["attestationObject"] = Base64Url(cbor.Encode()),
                ["authenticatorData"] = Base64Url(authenticatorData),
                ["transports"] = new JsonArray([.. Transports.Select(t => JsonValue.Create(t))]),
                ["publicKey"] = Base64Url(_key.ExportSubjectPublicKeyInfo()),
                ["publicKeyAlgorithm"] = -7,
            },
            ["clientExtensionResults"] = new JsonObject(),
            ["authenticatorAttachment"] = "platform",
        };
        return credential.ToJsonString();
    }

    /// <summary>
    /// Answers request options (the JSON <c>parseRequestOptionsFromJSON</c> reads) with an assertion as
    /// <c>PublicKeyCredential.toJSON()</c> writes it. Reads rpId, or rp.id when given creation options (a test's misuse).
    /// </summary>
    public string CreateAssertionJson(string requestOptionsJson)
    {
        var options = JsonNode.Parse(requestOptionsJson) ?? throw new ArgumentException("Options are not JSON.", nameof(requestOptionsJson));
        var challenge = (string?)options["challenge"] ?? throw new ArgumentException("Options have no challenge.", nameof(requestOptionsJson));
        var rpId = (string?)options["rpId"] ?? (string?)options["rp"]?["id"] ?? throw new ArgumentException("Options have no rpId.", nameof(requestOptionsJson));
        return CreateAssertionJson(challenge, rpId);
    }

    /// <summary>An assertion for a given challenge (base64url) and RP id; raises the counter by <see cref="CounterStep"/> first.</summary>
    public string CreateAssertionJson(string challenge, string rpId)
    {
        SignCount += CounterStep;
        var clientDataJson = ClientData(ClientDataTypeOverride ?? "webauthn.get", challenge);
        var authenticatorData = AuthenticatorData(RpIdOverride ?? rpId, 0, []);
        // The signature covers authenticatorData || SHA-256(clientDataJSON), DER-encoded as WebAuthn's ES256 asks.
        byte[] signed = [.. authenticatorData, .. SHA256.HashData(clientDataJson)];
        var signature = _key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        var response = new JsonObject
        {
            ["clientDataJSON"] = Base64Url(clientDataJson),
            ["authenticatorData"] = Base64Url(authenticatorData),
            ["signature"] = Base64Url(signature),
        };
        if (UserHandle is not null)
        {
            response["userHandle"] = Base64Url(UserHandle);
        }

        var credential = new JsonObject
        {
            ["id"] = CredentialIdText,
            ["rawId"] = CredentialIdText,
            ["type"] = "public-key",
            ["response"] = response,
            ["clientExtensionResults"] = new JsonObject(),
            ["authenticatorAttachment"] = "platform",
        };
        return credential.ToJsonString();
    }

    /// <summary>The challenge (base64url) of options JSON, to tell which stored challenge a response answers.</summary>
    public static string ChallengeOf(string optionsJson) =>
        (string?)JsonNode.Parse(optionsJson)?["challenge"] ?? throw new ArgumentException("Options have no challenge.", nameof(optionsJson));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    public void Dispose() => _key.Dispose();

    private byte[] ClientData(string type, string challenge) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["type"] = type,
            ["challenge"] = challenge,
            ["origin"] = Origin,
            ["crossOrigin"] = false,
        });

    // rpIdHash (32) | flags (1) | signCount (4, big-endian) | attested credential data (registration only).
    private byte[] AuthenticatorData(string rpId, byte extraFlags, ReadOnlySpan<byte> attestedCredentialData)
    {
        var flags = extraFlags;
        flags |= UserPresent ? UserPresentFlag : (byte)0;
        flags |= UserVerified ? UserVerifiedFlag : (byte)0;
        flags |= BackupEligible ? BackupEligibleFlag : (byte)0;
        flags |= BackedUp ? BackedUpFlag : (byte)0;

        var data = new byte[32 + 1 + 4 + attestedCredentialData.Length];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId), data.AsSpan(0, 32));
        data[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33, 4), SignCount);
        attestedCredentialData.CopyTo(data.AsSpan(37));
        return data;
    }

    // AAGUID (16, big-endian as written on the wire) | credential id length (2) | credential id | COSE_Key.
    private byte[] AttestedCredentialData()
    {
        var aaguid = Aaguid.ToByteArray(bigEndian: true);
        var coseKey = CoseKey();
        var data = new byte[16 + 2 + CredentialId.Length + coseKey.Length];
        aaguid.CopyTo(data, 0);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(16, 2), (ushort)CredentialId.Length);
        CredentialId.CopyTo(data, 18);
        coseKey.CopyTo(data, 18 + CredentialId.Length);
        return data;
    }

    // RFC 9053 EC2 key: kty 2 (EC2), alg -7 (ES256), crv 1 (P-256), x, y.
    private byte[] CoseKey()
    {
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        var cbor = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cbor.WriteStartMap(5);
        cbor.WriteInt32(1);
        cbor.WriteInt32(2);
        cbor.WriteInt32(3);
        cbor.WriteInt32(-7);
        cbor.WriteInt32(-1);
        cbor.WriteInt32(1);
        cbor.WriteInt32(-2);
        cbor.WriteByteString(point.X!);
        cbor.WriteInt32(-3);
        cbor.WriteByteString(point.Y!);
        cbor.WriteEndMap();
        return cbor.Encode();
    }
}
