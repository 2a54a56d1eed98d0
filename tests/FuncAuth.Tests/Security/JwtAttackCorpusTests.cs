using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tests.Security;

/// <summary>What a bearer endpoint must answer to a crafted Authorization header.</summary>
public enum CorpusOutcome
{
    /// <summary>401, <c>Bearer error="invalid_token", error_description="The access token is invalid."</c> (RFC 6750 §3.1).</summary>
    InvalidToken,

    /// <summary>401, <c>invalid_token</c>, "The access token expired.": only for a token the deployment really signed.</summary>
    Expired,

    /// <summary>401, <c>invalid_token</c>, "The access token has been revoked.": a genuine token of an ended session.</summary>
    Revoked,

    /// <summary>
    /// The Authorization header itself breaks RFC 6750 §2.1 (<c>"Bearer" 1*SP b64token</c>, one header): 400 with
    /// <c>error="invalid_request"</c>, or 401 <c>invalid_token</c>; never anything else.
    /// </summary>
    Malformed,

    /// <summary>No bearer credentials at all: 401 with the bare challenge <c>Bearer</c> (RFC 6750 §3.1, no error code).</summary>
    NoToken,

    /// <summary>Too large to be a token: any 4xx (a server may refuse the header at the HTTP layer), never 2xx or 5xx.</summary>
    TooLarge,
}

/// <summary>
/// One crafted Authorization header: its name, the rule it checks (with its RFC section where one applies), what every
/// bearer endpoint must answer, and whether the token carries a genuine signature (by the key the case names, checked
/// independently before the token is sent, so the case tests its rule and not merely the signature).
/// </summary>
public sealed record AttackCase(string Name, string Rule, CorpusOutcome Outcome, bool GenuineSignature, Func<AttackContext, string[]> Authorization);

/// <summary>A refresh-token attack at <c>POST api/auth/token</c>: the form it sends and the OAuth error it must get.</summary>
public sealed record RefreshAttack(string Name, string Rule, string Expected, Func<RefreshDeployment, Task<(string Name, string Value)[]>> Parameters)
{
    /// <summary>Words the error_description must hold where it tells which rule refused (expired, spent), or null.</summary>
    public string? Because { get; init; }
}

/// <summary>
/// What a crafted token is made from: a genuine token (login, verified once so it sits in the validated-token cache),
/// the claims of a victim session of the same user, the deployment's active and previous keys, an attacker's keys, what
/// the deployment publishes, and tokens of sessions that were ended. The signing helpers record the key of the last
/// signature they made, so a case's signature can be checked against it.
/// </summary>
public sealed class AttackContext : IDisposable
{
    public const string Password = "correct horse battery";

    private readonly X509Certificate2 _attackerCertificate;

    internal AttackContext(string activeKey, string previousKey)
    {
        var active = TestTokens.Read(activeKey);
        var previous = TestTokens.Read(previousKey);
        Algorithm = active.Algorithm;
        KeyId = active.KeyId;
        PreviousKeyId = previous.KeyId;
        ActiveKey = KeyMaterial(active.SecurityKey);
        PreviousKey = KeyMaterial(previous.SecurityKey);
        AttackerEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AttackerEc384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        AttackerRsa = RSA.Create(2048);
        AttackerSecret = RandomNumberGenerator.GetBytes(32);
        AttackerEcKeyId = TestTokens.Read(AttackerEc.ExportPkcs8PrivateKeyPem()).KeyId;
        AttackerRsaKeyId = TestTokens.Read(AttackerRsa.ExportPkcs8PrivateKeyPem()).KeyId;
        AttackerSecretKeyId = TestTokens.Read(Convert.ToBase64String(AttackerSecret)).KeyId;
        _attackerCertificate = new CertificateRequest("CN=attacker", AttackerEc, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public string Algorithm { get; }

    public string KeyId { get; }

    public string PreviousKeyId { get; }

    /// <summary>The active key: its HMAC secret (HS256) or its ECDsa (ES256).</summary>
    public object ActiveKey { get; }

    public object PreviousKey { get; }

    public ECDsa AttackerEc { get; }

    public ECDsa AttackerEc384 { get; }

    public RSA AttackerRsa { get; }

    public byte[] AttackerSecret { get; }

    public string AttackerEcKeyId { get; }

    public string AttackerRsaKeyId { get; }

    public string AttackerSecretKeyId { get; }

    public string AttackerCertificate => Convert.ToBase64String(_attackerCertificate.RawData);

    public JsonObject AttackerJwk => new()
    {
        ["kty"] = "EC",
        ["crv"] = "P-256",
        ["x"] = Base64Url.EncodeToString(AttackerEc.ExportParameters(false).Q.X),
        ["y"] = Base64Url.EncodeToString(AttackerEc.ExportParameters(false).Q.Y),
    };

    /// <summary>A URL on a loopback listener that records any connection: jku and x5u point here.</summary>
    public string AttackerUrl { get; internal set; } = string.Empty;

    public string Genuine { get; internal set; } = string.Empty;

    public string VictimSubject { get; internal set; } = string.Empty;

    public string VictimUsername { get; internal set; } = string.Empty;

    public string VictimSessionId { get; internal set; } = string.Empty;

    public string EndedSessionToken { get; internal set; } = string.Empty;

    public string LoggedOutToken { get; internal set; } = string.Empty;

    public string DeletedAccountToken { get; internal set; } = string.Empty;

    /// <summary>What <c>DELETE api/auth/account</c> answered when the fixture deleted that account (204 when it exists).</summary>
    public HttpStatusCode AccountDeletion { get; internal set; }

    /// <summary>Secrets an attacker can derive from what the deployment publishes, each with its name (seven of them).</summary>
    public IReadOnlyList<(string Label, byte[] Secret)> Published { get; internal set; } = [];

    /// <summary>Key material an HMAC could be keyed with: the HS256 secret itself, or the ES256 public key as PEM.</summary>
    public byte[] DeploymentSecretMaterial => ActiveKey is byte[] secret ? secret : Encoding.UTF8.GetBytes(PublicKeyPem);

    public string PublicKeyPem => ActiveKey is ECDsa ec ? PemEncoding.WriteString("PUBLIC KEY", ec.ExportSubjectPublicKeyInfo()) : string.Empty;

    /// <summary>The algorithm and key of the last signature made through this context.</summary>
    public (string Algorithm, object Key)? LastSignature { get; private set; }

    public void ForgetSignature() => LastSignature = null;

    public JsonObject Header() => new() { ["alg"] = Algorithm, ["kid"] = KeyId, ["typ"] = "at+jwt" };

    /// <summary>The claims FuncAuth itself writes, for the victim session, issued now for five minutes.</summary>
    public JsonObject Claims()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = FuncAuthApp.Issuer,
            ["aud"] = FuncAuthApp.Audience,
            ["sub"] = VictimSubject,
            ["username"] = VictimUsername,
            ["sid"] = VictimSessionId,
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 300,
        };
    }

    /// <summary>A token signed with the deployment's active key after the given changes to the header and claims.</summary>
    public string Forge(Action<JsonObject>? header = null, Action<JsonObject>? claims = null)
    {
        var h = Header();
        header?.Invoke(h);
        var c = Claims();
        claims?.Invoke(c);
        return Sign(h.ToJsonString(), c.ToJsonString());
    }

    /// <summary>The two texts as they are, signed with the active key's own algorithm, whatever the header says.</summary>
    public string Sign(string header, string payload) => SignWith(Algorithm, ActiveKey, header, payload);

    /// <summary>The two texts signed with any algorithm and key (byte[] for HMAC, RSA, ECDsa).</summary>
    public string SignWith(string algorithm, object key, string header, string payload)
    {
        var input = $"{TestTokens.Encode(header)}.{TestTokens.Encode(payload)}";
        var data = Encoding.ASCII.GetBytes(input);
        var signature = (algorithm, key) switch
        {
            ("HS256", byte[] secret) => HMACSHA256.HashData(secret, data),
            ("HS384", byte[] secret) => HMACSHA384.HashData(secret, data),
            ("HS512", byte[] secret) => HMACSHA512.HashData(secret, data),
            ("RS256", RSA rsa) => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ("RS512", RSA rsa) => rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            ("PS256", RSA rsa) => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            ("ES256", ECDsa ec) => ec.SignData(data, HashAlgorithmName.SHA256),
            ("ES384", ECDsa ec) => ec.SignData(data, HashAlgorithmName.SHA384),
            _ => throw new ArgumentException($"No signing for {algorithm} with {key.GetType().Name}."),
        };
        LastSignature = (algorithm, key);
        return $"{input}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The genuine token, noting that the active key signed it.</summary>
    public string GenuineToken()
    {
        LastSignature = (Algorithm, ActiveKey);
        return Genuine;
    }

    public void Dispose()
    {
        _attackerCertificate.Dispose();
        AttackerEc.Dispose();
        AttackerEc384.Dispose();
        AttackerRsa.Dispose();
        (ActiveKey as IDisposable)?.Dispose();
        (PreviousKey as IDisposable)?.Dispose();
    }

    private static object KeyMaterial(SecurityKey key) => key switch
    {
        SymmetricSecurityKey symmetric => symmetric.Key,
        ECDsaSecurityKey ec => ec.ECDsa,
        _ => throw new ArgumentException($"No corpus for {key.GetType().Name}."),
    };
}

/// <summary>The crafted tokens, and the refresh-token attacks.</summary>
public static class JwtAttackCorpus
{
    private const string NoneRule = "RFC 8725 §3.1, RFC 7518 §3.6: alg none (an unsecured JWS) is never accepted, in any letter case";

    public static IReadOnlyList<AttackCase> Cases { get; } = Build();

    public static IReadOnlyList<RefreshAttack> RefreshAttacks { get; } = BuildRefresh();

    public static AttackCase Case(string name) => Cases.Single(c => c.Name == name);

    public static RefreshAttack RefreshAttack(string name) => RefreshAttacks.Single(c => c.Name == name);

    private static string[] Bearer(string token) => [$"Bearer {token}"];

    private static List<AttackCase> Build()
    {
        var cases = new List<AttackCase>();
        void Add(string name, string rule, Func<AttackContext, string> token, bool genuineSignature = true, CorpusOutcome outcome = CorpusOutcome.InvalidToken) =>
            cases.Add(new AttackCase(name, rule, outcome, genuineSignature, c => Bearer(token(c))));
        void AddRaw(string name, string rule, CorpusOutcome outcome, bool genuineSignature, Func<AttackContext, string[]> authorization) =>
            cases.Add(new AttackCase(name, rule, outcome, genuineSignature, authorization));

        // alg none, in four spellings, without and with a signature (the deployment's own, over that header).
        foreach (var none in new[] { "none", "None", "NONE", "nOnE" })
        {
            Add($"alg {none} with an empty signature", NoneRule, c =>
            {
                var header = c.Header();
                header["alg"] = none;
                return $"{TestTokens.Encode(header.ToJsonString())}.{TestTokens.Encode(c.Claims().ToJsonString())}.";
            }, genuineSignature: false);
            Add($"alg {none} with the deployment's own signature", NoneRule, c => c.Forge(h => h["alg"] = none));
        }

        // The published key as an HMAC secret (the classic RS/ES → HS confusion).
        string[] published =
        [
            "the public key's JWK as published (HS256 deployment, which publishes no key: the JWKS document)",
            "the whole JWKS document (HS256: the JWKS document and a newline)",
            "the public key as SPKI PEM (HS256: the issuer)",
            "the public key as SPKI PEM with a trailing newline (HS256: the kid)",
            "the public key as SPKI DER (HS256: the OpenID configuration document)",
            "the public key as an uncompressed point 04||x||y (HS256: an empty secret)",
            "the public key as x||y (HS256: the audience)",
        ];
        for (var i = 0; i < published.Length; i++)
        {
            var index = i;
            Add($"HS256 keyed with {published[i]}",
                "RFC 8725 §2.1, §3.1: the algorithm is the key's, never the token's, so published key material is no HMAC secret",
                c => c.SignWith("HS256", c.Published[index].Secret, c.Header().With("alg", "HS256").ToJsonString(), c.Claims().ToJsonString()));
        }

        // Algorithms the deployment does not use, each with a real signature in that algorithm.
        Add("HS384 keyed with the deployment's key material (HS256: its secret; ES256: its public key PEM)",
            "RFC 8725 §3.1: only the key's own algorithm; a same-family stronger hash is still another algorithm",
            c => c.SignWith("HS384", c.DeploymentSecretMaterial, c.Header().With("alg", "HS384").ToJsonString(), c.Claims().ToJsonString()));
        Add("HS512 keyed with the deployment's key material (HS256: its secret; ES256: its public key PEM)",
            "RFC 8725 §3.1: only the key's own algorithm",
            c => c.SignWith("HS512", c.DeploymentSecretMaterial, c.Header().With("alg", "HS512").ToJsonString(), c.Claims().ToJsonString()));
        Add("PS256 signed with an attacker's RSA key under the deployment's kid", "RFC 8725 §3.1: only the key's own algorithm",
            c => c.SignWith("PS256", c.AttackerRsa, c.Header().With("alg", "PS256").ToJsonString(), c.Claims().ToJsonString()));
        Add("RS512 signed with an attacker's RSA key under the deployment's kid", "RFC 8725 §3.1: only the key's own algorithm",
            c => c.SignWith("RS512", c.AttackerRsa, c.Header().With("alg", "RS512").ToJsonString(), c.Claims().ToJsonString()));
        Add("ES384 signed with an attacker's P-384 key under the deployment's kid", "RFC 8725 §3.1: only the key's own algorithm",
            c => c.SignWith("ES384", c.AttackerEc384, c.Header().With("alg", "ES384").ToJsonString(), c.Claims().ToJsonString()));
        Add("EdDSA over the deployment's own valid signature",
            "RFC 8725 §3.1, RFC 8037 §3.1: alg EdDSA is not the key's algorithm, even when the signature bytes are the key's own",
            c => c.Forge(h => h["alg"] = "EdDSA"));
        Add("the deployment's alg in lower case over its own valid signature",
            "RFC 7515 §4.1.1: alg values are case-sensitive; hs256/es256 is no algorithm FuncAuth uses",
            c => c.Forge(h => h["alg"] = c.Algorithm.ToLowerInvariant()));

        // An attacker's own keys: RS256 on ES256 and ES256 on HS256 are among these.
        Add("RS256 signed with an attacker's RSA key under the deployment's kid", "RFC 7515 §5.2: the signature must verify with the deployment's key",
            c => c.SignWith("RS256", c.AttackerRsa, c.Header().With("alg", "RS256").ToJsonString(), c.Claims().ToJsonString()));
        Add("RS256 signed with an attacker's RSA key under its own kid", "RFC 7515 §4.1.4: a kid names one of the deployment's keys, or nothing",
            c => c.SignWith("RS256", c.AttackerRsa, c.Header().With("alg", "RS256").With("kid", c.AttackerRsaKeyId).ToJsonString(), c.Claims().ToJsonString()));
        Add("ES256 signed with an attacker's P-256 key under the deployment's kid", "RFC 7515 §5.2: the signature must verify with the deployment's key",
            c => c.SignWith("ES256", c.AttackerEc, c.Header().With("alg", "ES256").ToJsonString(), c.Claims().ToJsonString()));
        Add("ES256 signed with an attacker's P-256 key under its own kid", "RFC 7515 §4.1.4: a kid names one of the deployment's keys, or nothing",
            c => c.SignWith("ES256", c.AttackerEc, c.Header().With("alg", "ES256").With("kid", c.AttackerEcKeyId).ToJsonString(), c.Claims().ToJsonString()));
        Add("HS256 keyed with an attacker's secret under the deployment's kid", "RFC 7515 §5.2: the signature must verify with the deployment's key",
            c => c.SignWith("HS256", c.AttackerSecret, c.Header().With("alg", "HS256").ToJsonString(), c.Claims().ToJsonString()));
        Add("HS256 keyed with an attacker's secret under its own kid", "RFC 7515 §4.1.4: a kid names one of the deployment's keys, or nothing",
            c => c.SignWith("HS256", c.AttackerSecret, c.Header().With("alg", "HS256").With("kid", c.AttackerSecretKeyId).ToJsonString(), c.Claims().ToJsonString()));

        // kid.
        const string KidRule = "RFC 7515 §4.1.4, RFC 8725 §3.10: the kid selects a configured key by exact match, is never a path, a query or a header";
        Add("kid missing", "RFC 7515 §4.1.4: FuncAuth always writes a kid and selects the key by it", c => c.Forge(h => h.Remove("kid")));
        Add("kid unknown", KidRule, c => c.Forge(h => h["kid"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))));
        Add("kid of the previous key on a token the active key signed", "RFC 7515 §4.1.4: the kid names the key that signed, and only that key verifies",
            c => c.Forge(h => h["kid"] = c.PreviousKeyId));
        Add("the active key's kid on a token the previous key signed", "RFC 7515 §4.1.4: the kid names the key that signed, and only that key verifies",
            c => c.SignWith(c.Algorithm, c.PreviousKey, c.Header().ToJsonString(), c.Claims().ToJsonString()));
        Add("kid of a foreign key (the attacker's) on a token the deployment's key signed", KidRule, c => c.Forge(h => h["kid"] = c.AttackerEcKeyId));
        Add("kid path traversal ../../../../dev/null", KidRule, c => c.Forge(h => h["kid"] = "../../../../dev/null"));
        Add("kid ../../../../dev/null with HS256 keyed with the empty file's content", KidRule,
            c => c.SignWith("HS256", Array.Empty<byte>(), c.Header().With("alg", "HS256").With("kid", "../../../../dev/null").ToJsonString(), c.Claims().ToJsonString()));
        Add("kid SQL injection ' OR 1=1 --", KidRule, c => c.Forge(h => h["kid"] = "' OR 1=1 --"));
        Add("kid header injection a\\r\\nX-Evil: 1", KidRule, c => c.Forge(h => h["kid"] = "a\r\nX-Evil: 1"));
        Add("kid 2,500 characters long (the token stays under the 4,096 character cap)", KidRule, c => c.Forge(h => h["kid"] = new string('k', 2500)));
        Add("kid empty", "RFC 7515 §4.1.4: an empty kid names no key", c => c.Forge(h => h["kid"] = string.Empty));
        Add("kid a JSON number", "RFC 7515 §4.1.4: kid is a string", c => c.Forge(h => h["kid"] = 1));
        Add("kid null", "RFC 7515 §4.1.4: kid is a string", c => c.Forge(h => h["kid"] = null));

        // Headers that bring their own key; the token is signed with that key.
        const string KeyHeaderRule = "RFC 8725 §3.10, RFC 7515 §4.1.2-§4.1.6: a key (or a URL to one) in the token is never trusted nor fetched";
        Add("jku pointing at the attacker's JWKS, signed with the attacker's key", KeyHeaderRule,
            c => c.SignWith("ES256", c.AttackerEc, c.Header().With("alg", "ES256").With("jku", c.AttackerUrl).ToJsonString(), c.Claims().ToJsonString()));
        Add("x5u pointing at the attacker's certificate, signed with the attacker's key", KeyHeaderRule,
            c => c.SignWith("ES256", c.AttackerEc, c.Header().With("alg", "ES256").With("x5u", c.AttackerUrl).ToJsonString(), c.Claims().ToJsonString()));
        Add("jwk carrying the attacker's public key, signed with the attacker's key", KeyHeaderRule,
            c => c.SignWith("ES256", c.AttackerEc, c.Header().With("alg", "ES256").With("jwk", c.AttackerJwk).ToJsonString(), c.Claims().ToJsonString()));
        Add("jwk carrying the attacker's public key and no kid, signed with the attacker's key", KeyHeaderRule,
            c => c.SignWith("ES256", c.AttackerEc, c.Header().With("alg", "ES256").With("jwk", c.AttackerJwk).Without("kid").ToJsonString(), c.Claims().ToJsonString()));
        Add("x5c carrying the attacker's self-signed certificate, signed with the attacker's key", KeyHeaderRule,
            c => c.SignWith("ES256", c.AttackerEc, c.Header().With("alg", "ES256").With("x5c", new JsonArray(c.AttackerCertificate)).ToJsonString(), c.Claims().ToJsonString()));

        // crit.
        Add("crit [\"exp\"]", "RFC 7515 §4.1.11: crit must list header extensions the recipient understands; exp is none",
            c => c.Forge(h => h["crit"] = new JsonArray("exp")));
        Add("crit [\"x-unknown\"] with an x-unknown header", "RFC 7515 §4.1.11: an unknown critical extension is refused",
            c => c.Forge(h =>
            {
                h["crit"] = new JsonArray("x-unknown");
                h["x-unknown"] = true;
            }));

        // typ.
        const string TypRule = "RFC 9068 §2.1, §4, RFC 8725 §3.11: an access token is typed at+jwt (or application/at+jwt)";
        foreach (var typ in new[] { "JWT", "jwt", "at+jwt2", "application/jwt" })
        {
            Add($"typ {typ}", TypRule, c => c.Forge(h => h["typ"] = typ));
        }

        Add("typ missing", TypRule, c => c.Forge(h => h.Remove("typ")));

        // The genuine token's signature, tampered with.
        const string SignatureRule = "RFC 7515 §5.2, §7.1: three parts, the third the exact base64url signature";
        Add("signature stripped (two parts and a trailing dot)", SignatureRule, c => c.GenuineToken()[..(c.Genuine.LastIndexOf('.') + 1)], genuineSignature: false);
        Add("signature stripped (two parts, no trailing dot)", SignatureRule, c => c.GenuineToken()[..c.Genuine.LastIndexOf('.')], genuineSignature: false);
        Add("signature truncated by one character", SignatureRule, c => c.GenuineToken()[..^1], genuineSignature: false);
        Add("signature padded with '='", "RFC 7515 §2: base64url without padding",
            c => c.GenuineToken() + new string('=', Math.Max(1, (4 - (Signature(c.Genuine).Length % 4)) % 4)));
        Add("signature with an extra base64url character", SignatureRule, c => c.GenuineToken() + "A", genuineSignature: false);
        Add("signature with its first byte bit-flipped", SignatureRule, c => FlipSignatureByte(c.GenuineToken(), first: true), genuineSignature: false);
        Add("signature with its last byte bit-flipped", SignatureRule, c => FlipSignatureByte(c.GenuineToken(), first: false), genuineSignature: false);
        Add("signature with a non-canonical last character (spare bits set)",
            "RFC 4648 §3.5, RFC 7515 §2: only the canonical encoding; one validated token never vouches for another spelling",
            c => NonCanonical(c.GenuineToken()));

        // exp, nbf, iat.
        Add("exp missing", "RFC 9068 §2.2: exp is required", c => c.Forge(claims: p => p.Remove("exp")));
        Add("exp as a string", "RFC 7519 §2, §4.1.4: exp is a NumericDate, a JSON number", c => c.Forge(claims: p => p["exp"] = p["exp"]!.ToString()));
        Add("exp a float far in the future (1e20)", "RFC 7519 §4.1.4; FuncAuth's lifetime cap: exp past year 9999 is no date", c => c.Forge(claims: p => p["exp"] = 1e20));
        Add("exp negative", "RFC 7519 §2: a NumericDate before the epoch is no date FuncAuth writes", c => c.Forge(claims: p => p["exp"] = -1));
        Add("exp in the past beyond the 30 s clock skew", "RFC 7519 §4.1.4: expired (and said so: the deployment signed it)", c => c.Forge(claims: p =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            p["iat"] = now - 600;
            p["nbf"] = now - 600;
            p["exp"] = now - 60;
        }), outcome: CorpusOutcome.Expired);
        Add("exp a year after iat (beyond the configured lifetime)", "FuncAuth: exp - iat is at most the access token lifetime plus skew",
            c => c.Forge(claims: p => p["exp"] = p["iat"]!.GetValue<long>() + (365 * 24 * 3600)));
        Add("nbf in the future beyond the clock skew", "RFC 7519 §4.1.5: not before nbf", c => c.Forge(claims: p => p["nbf"] = p["nbf"]!.GetValue<long>() + 120));
        Add("iat far in the future (a year)", "RFC 7519 §4.1.6: a token issued in the future was not issued by us", c => c.Forge(claims: p =>
        {
            var later = p["iat"]!.GetValue<long>() + (365 * 24 * 3600);
            p["iat"] = later;
            p["exp"] = later + 300;
        }));

        // iss, aud, sub, jti.
        const string IssRule = "RFC 9068 §4, RFC 8725 §3.8: iss must exactly match the configured issuer";
        Add("iss wrong", IssRule, c => c.Forge(claims: p => p["iss"] = "https://evil.example"));
        Add("iss missing", IssRule, c => c.Forge(claims: p => p.Remove("iss")));
        Add("iss differing only in case", IssRule, c => c.Forge(claims: p => p["iss"] = FuncAuthApp.Issuer.ToUpperInvariant()));
        Add("iss with a trailing slash", IssRule, c => c.Forge(claims: p => p["iss"] = FuncAuthApp.Issuer + "/"));
        Add("iss an array holding ours", "RFC 7519 §4.1.1: iss is a StringOrURI, not an array", c => c.Forge(claims: p => p["iss"] = new JsonArray(FuncAuthApp.Issuer)));
        const string AudRule = "RFC 9068 §4, RFC 8725 §3.9: aud must name this deployment";
        Add("aud missing", AudRule, c => c.Forge(claims: p => p.Remove("aud")));
        Add("aud wrong", AudRule, c => c.Forge(claims: p => p["aud"] = "another-api"));
        Add("aud an array without ours", AudRule, c => c.Forge(claims: p => p["aud"] = new JsonArray("another-api", "https://evil.example")));
        Add("aud an empty array", AudRule, c => c.Forge(claims: p => p["aud"] = new JsonArray()));
        Add("sub missing", "RFC 9068 §2.2: sub is required", c => c.Forge(claims: p => p.Remove("sub")));
        Add("sub empty", "RFC 9068 §2.2: sub names a user", c => c.Forge(claims: p => p["sub"] = string.Empty));
        Add("jti missing", "RFC 9068 §2.2: jti is required", c => c.Forge(claims: p => p.Remove("jti")));

        // Duplicate members: the genuine value comes last, where a last-wins parser would take it.
        const string DuplicateRule = "RFC 7515 §5.2, RFC 7519 §4, RFC 8725 §2.6: duplicate member names are refused, not resolved";
        Add("two alg in the header (none, then the real one)", DuplicateRule, c => c.Sign("{\"alg\":\"none\"," + c.Header().ToJsonString()[1..], c.Claims().ToJsonString()));
        Add("two sub in the payload", DuplicateRule, c => c.Sign(c.Header().ToJsonString(), "{\"sub\":\"someone-else\"," + c.Claims().ToJsonString()[1..]));
        Add("two exp in the payload (past, then valid)", DuplicateRule, c => c.Sign(c.Header().ToJsonString(),
            "{\"exp\":" + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600).ToString(CultureInfo.InvariantCulture) + "," + c.Claims().ToJsonString()[1..]));

        // Shapes that are not a JWS of JSON objects (signed with the deployment's key all the same).
        const string ShapeRule = "RFC 7519 §7.2 steps 3 and 10, RFC 7515 §5.2: header and claims are each one JSON object";
        Add("payload not JSON", ShapeRule, c => c.Sign(c.Header().ToJsonString(), "this is not json"));
        Add("payload a JSON array", ShapeRule, c => c.Sign(c.Header().ToJsonString(), new JsonArray(c.Claims()).ToJsonString()));
        Add("payload a JSON string", ShapeRule, c => c.Sign(c.Header().ToJsonString(), JsonSerializer.Serialize(c.Claims().ToJsonString())));
        Add("payload the literal null", ShapeRule, c => c.Sign(c.Header().ToJsonString(), "null"));
        Add("payload empty", ShapeRule, c => c.Sign(c.Header().ToJsonString(), string.Empty));
        Add("header not JSON", ShapeRule, c => c.Sign("alg=" + c.Algorithm, c.Claims().ToJsonString()));

        // Characters outside base64url, on a signature a lenient decoder would read as the genuine one.
        const string AlphabetRule = "RFC 7515 §2, RFC 4648 §5: the base64url alphabet only; no standard-base64 or percent-encoded spellings";
        Add("'+' in the signature (standard base64 for '-')", AlphabetRule, c => Respell(c, '-', "+"));
        Add("'/' in the signature (standard base64 for '_')", AlphabetRule, c => Respell(c, '_', "/"));
        Add("'%' in the signature (a percent-encoded character)", AlphabetRule, c =>
        {
            var token = c.GenuineToken();
            var at = token.LastIndexOf('.') + 1;
            return $"{token[..at]}%{((int)token[at]).ToString("X2", CultureInfo.InvariantCulture)}{token[(at + 1)..]}";
        });

        // Whitespace: a space inside the token breaks RFC 6750 §2.1 b64token syntax (400 invalid_request allowed).
        const string SyntaxRule = "RFC 6750 §2.1: credentials = \"Bearer\" 1*SP b64token; b64token has no whitespace";
        AddRaw("a space inside the header segment", SyntaxRule, CorpusOutcome.Malformed, true, c => Bearer(c.GenuineToken().Insert(10, " ")));
        AddRaw("a space inside the signature segment", SyntaxRule, CorpusOutcome.Malformed, true, c => Bearer(c.GenuineToken().Insert(c.Genuine.LastIndexOf('.') + 5, " ")));
        AddRaw("a tab inside the payload segment", SyntaxRule, CorpusOutcome.Malformed, true, c => Bearer(c.GenuineToken().Insert(c.Genuine.IndexOf('.') + 5, "\t")));
        AddRaw("a tab between the scheme and the token", SyntaxRule, CorpusOutcome.Malformed, true, c => [$"Bearer \t{c.GenuineToken()}"]);
        AddRaw("the token followed by a space and more text", SyntaxRule, CorpusOutcome.Malformed, false, c => [$"Bearer {c.GenuineToken()} extra"]);

        // Not a compact JWS: a JWE, extra segments.
        Add("a JWE (five parts) wrapping the genuine token", "RFC 7516 §9, RFC 9068 §2.1: FuncAuth's access tokens are JWS, never JWE", c => Jwe(c), genuineSignature: false);
        Add("four parts (the genuine token and its signature again)", "RFC 7515 §7.1: exactly three parts", c => $"{c.GenuineToken()}.{Signature(c.Genuine)}");
        Add("six parts (the genuine token and three more)", "RFC 7515 §7.1: exactly three parts", c => $"{c.GenuineToken()}.e30.e30.AAAA");

        // The Authorization header itself.
        AddRaw("an empty token (\"Bearer \")", SyntaxRule, CorpusOutcome.Malformed, false, _ => ["Bearer "]);
        AddRaw("\"Bearer\" alone", SyntaxRule, CorpusOutcome.Malformed, false, _ => ["Bearer"]);
        AddRaw("another scheme (Basic)", "RFC 6750 §3.1: credentials of another scheme are no bearer token: a bare challenge",
            CorpusOutcome.NoToken, false, _ => ["Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("mallory:" + AttackContext.Password))]);
        AddRaw("no Authorization header", "RFC 6750 §3.1: no credentials, a bare challenge without an error code", CorpusOutcome.NoToken, false, _ => []);
        AddRaw("the token sent twice in two Authorization headers", "RFC 9110 §5.3, §11.6.2, RFC 6750 §2.1: one Authorization header, one token",
            CorpusOutcome.Malformed, true, c => [$"Bearer {c.GenuineToken()}", $"Bearer {c.Genuine}"]);
        AddRaw("the token twice in one Authorization header, comma-separated", SyntaxRule, CorpusOutcome.Malformed, false,
            c => [$"Bearer {c.GenuineToken()}, Bearer {c.Genuine}"]);

        // Size.
        AddRaw("a 1 MB token", "RFC 6585 §5, RFC 9110 §15.5: far beyond any token; refused, at the HTTP layer if need be (any 4xx)",
            CorpusOutcome.TooLarge, false, c => Bearer($"{c.Genuine.Split('.')[0]}.{new string('A', 1024 * 1024)}.{Signature(c.Genuine)}"));
        Add("a token of 5,000+ characters the deployment's key signed", "FuncAuth: a token longer than 4,096 characters is not one of ours",
            c => c.Forge(claims: p => p["pad"] = new string('p', 3600)));

        // Genuine tokens of sessions that ended (RFC 6750 §3.1 invalid_token: revoked).
        const string RevokedRule = "RFC 6750 §3.1, RFC 7009 §2: a token of an ended session is revoked";
        Add("the token of a session ended with DELETE api/auth/sessions/{id}", RevokedRule, c => c.SignedByTheActiveKey(c.EndedSessionToken), outcome: CorpusOutcome.Revoked);
        Add("the token of a logged-out session", RevokedRule, c => c.SignedByTheActiveKey(c.LoggedOutToken), outcome: CorpusOutcome.Revoked);
        Add("the token of an account deleted with DELETE api/auth/account", RevokedRule, c =>
        {
            Assert.True(c.AccountDeletion == HttpStatusCode.NoContent, $"This case waits for DELETE api/auth/account: it answered {(int)c.AccountDeletion}.");
            return c.SignedByTheActiveKey(c.DeletedAccountToken);
        }, outcome: CorpusOutcome.Revoked);

        return cases;
    }

    private static List<RefreshAttack> BuildRefresh()
    {
        const string Form = "RFC 6749 §6, §5.2: a refresh token is exactly one the server issued, unspent and of a live session";
        static (string, string)[] Grant(string token) => [("grant_type", "refresh_token"), ("refresh_token", token)];
        static Task<(string, string)[]> Now((string, string)[] parameters) => Task.FromResult(parameters);
        return
        [
            new("garbage", Form, "invalid_grant", _ => Now(Grant("not-a-refresh-token"))),
            new("empty", "RFC 6749 §3.2: a parameter without a value is treated as omitted", "invalid_request", _ => Now(Grant(string.Empty))),
            new("the parameter missing", "RFC 6749 §6: refresh_token is required", "invalid_request", _ => Now([("grant_type", "refresh_token")])),
            new("the parameter sent twice", "RFC 6749 §3.2: request parameters MUST NOT be included more than once", "invalid_request", async d =>
            {
                var (_, refresh) = await d.NewSessionAsync();
                return [("grant_type", "refresh_token"), ("refresh_token", refresh), ("refresh_token", refresh)];
            }),
            new("user A's access token used as a refresh token", Form, "invalid_grant", async d => Grant((await d.NewSessionAsync()).Access)),
            new("the refresh token with a 'Bearer ' prefix", Form, "invalid_grant", async d => Grant("Bearer " + (await d.NewSessionAsync()).Refresh)),
            new("expired (idle beyond RefreshTokenLifetime)", Form, "invalid_grant", async d =>
            {
                var (_, refresh) = await d.NewSessionAsync();
                d.Time.Advance(RefreshDeployment.RefreshTokenLifetime + TimeSpan.FromSeconds(1));
                return Grant(refresh);
            }) { Because = "expired" },
            new("spent, presented again after the reuse interval (00:00:00)", "RFC 9700 §4.14.2: a refresh token is spent by its use", "invalid_grant", async d =>
            {
                var (_, refresh) = await d.NewSessionAsync();
                await d.RotateAsync(refresh);
                return Grant(refresh);
            }) { Because = "already used" },
            new("the successor of a token that was replayed", "RFC 9700 §4.14.2: a replay ends the session, successor included", "invalid_grant", async d =>
            {
                var (_, refresh) = await d.NewSessionAsync();
                var successor = await d.RotateAsync(refresh);
                using (var replay = await d.Client.RefreshAsync(refresh))
                {
                    Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
                }

                return Grant(successor);
            }),
            new("of a session ended by logout", Form, "invalid_grant", async d =>
            {
                var (access, refresh) = await d.NewSessionAsync();
                using var logout = await d.Client.LogoutAsync(access);
                Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
                return Grant(refresh);
            }),
            new("of a session ended with DELETE api/auth/sessions/{id}", Form, "invalid_grant", async d =>
            {
                var (access, refresh) = await d.NewSessionAsync();
                using var ended = await d.Client.EndSessionAsync(access, AuthClient.SessionIdOf(access));
                Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
                return Grant(refresh);
            }),
            new("revoked at api/auth/revoke", "RFC 7009 §2.1: a revoked refresh token is invalid", "invalid_grant", async d =>
            {
                var (_, refresh) = await d.NewSessionAsync();
                using var revoked = await d.Client.RevokeAsync(refresh, "refresh_token");
                Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
                return Grant(refresh);
            }),
            new("of an account deleted with DELETE api/auth/account", Form, "invalid_grant", async d =>
            {
                var (access, refresh) = await d.NewSessionAsync();
                using var deleted = await d.Client.DeleteAccountAsync(access, AttackContext.Password);
                Assert.True(deleted.StatusCode == HttpStatusCode.NoContent, $"This case waits for DELETE api/auth/account: it answered {(int)deleted.StatusCode}.");
                return Grant(refresh);
            }),
            new("10 KB long", "RFC 9110 §15.5.14: the form is larger than the token endpoint's 8 KiB body limit: 413 (documented), never 2xx/5xx", "413",
                _ => Now(Grant(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(7680))))),
            new("7 KB long (inside the body limit)", Form, "invalid_grant", _ => Now(Grant(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(5376))))),
            new("a 43-character non-canonical encoding of a genuine token", "RFC 4648 §3.5: only the encoding the server handed out", "invalid_grant", async d =>
            {
                var (_, refresh) = await d.NewSessionAsync();
                return Grant(refresh[..^1] + ToggleSpareBit(refresh[^1]));
            }),
            new("a genuine token with one character changed", Form, "invalid_grant", async d =>
            {
                var (_, refresh) = await d.NewSessionAsync();
                return Grant((refresh[0] == 'A' ? "B" : "A") + refresh[1..]);
            }),
            new("a genuine token padded with '='", "RFC 4648 §5, RFC 7515 §2: base64url without padding", "invalid_grant",
                async d => Grant((await d.NewSessionAsync()).Refresh + "=")),
            new("a genuine token in standard base64 ('+' and '/')", "RFC 4648 §5: base64url only", "invalid_grant", async d =>
            {
                for (var i = 0; i < 30; i++)
                {
                    var (_, refresh) = await d.NewSessionAsync();
                    if (refresh.AsSpan().IndexOfAny('-', '_') >= 0)
                    {
                        return Grant(refresh.Replace('-', '+').Replace('_', '/'));
                    }
                }

                throw new InvalidOperationException("No refresh token with '-' or '_' in 30 logins.");
            }),
            new("a genuine token with surrounding spaces", Form, "invalid_grant", async d => Grant($" {(await d.NewSessionAsync()).Refresh} ")),
        ];
    }

    internal static string Signature(string token) => token[(token.LastIndexOf('.') + 1)..];

    private static JsonObject With(this JsonObject json, string name, JsonNode? value)
    {
        json[name] = value;
        return json;
    }

    private static JsonObject Without(this JsonObject json, string name)
    {
        json.Remove(name);
        return json;
    }

    private static string SignedByTheActiveKey(this AttackContext c, string token)
    {
        _ = c.GenuineToken();
        return token;
    }

    private static string FlipSignatureByte(string token, bool first)
    {
        var dot = token.LastIndexOf('.');
        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        signature[first ? 0 : ^1] ^= 0x01;
        return $"{token[..(dot + 1)]}{Base64Url.EncodeToString(signature)}";
    }

    private static string NonCanonical(string token) => token[..^1] + ToggleSpareBit(token[^1]);

    /// <summary>The base64url character whose 6-bit value differs in its lowest bit: a spare bit for 32- and 64-byte values.</summary>
    private static char ToggleSpareBit(char c)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return Alphabet[Alphabet.IndexOf(c, StringComparison.Ordinal) ^ 1];
    }

    /// <summary>A token the deployment signed whose signature holds <paramref name="from"/>, spelled with <paramref name="to"/>.</summary>
    private static string Respell(AttackContext c, char from, string to)
    {
        for (var i = 0; i < 500; i++)
        {
            var token = c.Forge();
            var dot = token.LastIndexOf('.');
            if (token.IndexOf(from, dot) >= 0)
            {
                return token[..dot] + token[dot..].Replace(from.ToString(), to, StringComparison.Ordinal);
            }
        }

        throw new InvalidOperationException($"No signature with '{from}' in 500 tokens.");
    }

    private static string Jwe(AttackContext c)
    {
        var header = TestTokens.Encode(new JsonObject { ["alg"] = "dir", ["enc"] = "A256GCM", ["kid"] = c.KeyId, ["cty"] = "JWT" }.ToJsonString());
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plaintext = Encoding.ASCII.GetBytes(c.Genuine);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(header));
        return $"{header}..{Base64Url.EncodeToString(nonce)}.{Base64Url.EncodeToString(ciphertext)}.{Base64Url.EncodeToString(tag)}";
    }
}

/// <summary>
/// One deployment under attack: the Kestrel host's app with an active key and a previous one (so a kid can name another
/// real key), built once for all its cases. It holds a genuine session, a victim session whose claims forgeries carry,
/// a session ended with DELETE api/auth/sessions/{id}, a logged-out session, and a deleted account's session.
/// </summary>
public abstract class CorpusDeployment(StorageFixture storage, string activeKey, string previousKey) : IAsyncLifetime
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public FuncAuthApp App { get; } = new(storage.ConnectionString, TestKeys.Active(activeKey, previousKey));

    public HttpClient Client { get; private set; } = null!;

    public AttackContext Context { get; } = new(activeKey, previousKey);

    /// <summary>A token the previous key signed under its own kid: rotation's control.</summary>
    public string PreviousKeyToken => Context.SignWith(
        Context.Algorithm,
        Context.PreviousKey,
        new JsonObject { ["alg"] = Context.Algorithm, ["kid"] = Context.PreviousKeyId, ["typ"] = "at+jwt" }.ToJsonString(),
        Context.Claims().ToJsonString());

    /// <summary>Whether anything connected to the URL that jku and x5u name.</summary>
    public bool SomethingFetched => _listener.Pending();

    public async ValueTask InitializeAsync()
    {
        _listener.Start();
        Context.AttackerUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/keys";
        Client = App.CreateClient();

        var username = AuthClient.NewUsername();
        (Context.Genuine, _) = await Client.RegisterAndStartSessionAsync(username, AttackContext.Password);
        var (victim, _) = await Client.StartSessionAsync(username, AttackContext.Password);
        var victimClaims = new JsonWebToken(victim);
        Context.VictimSubject = victimClaims.Subject;
        Context.VictimUsername = victimClaims.GetClaim("username").Value;
        Context.VictimSessionId = victimClaims.GetClaim("sid").Value;

        (Context.EndedSessionToken, _) = await Client.StartSessionAsync(username, AttackContext.Password);
        using (var ended = await Client.EndSessionAsync(Context.Genuine, AuthClient.SessionIdOf(Context.EndedSessionToken)))
        {
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        }

        (Context.LoggedOutToken, _) = await Client.StartSessionAsync(username, AttackContext.Password);
        using (var logout = await Client.LogoutAsync(Context.LoggedOutToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        (Context.DeletedAccountToken, _) = await Client.RegisterAndStartSessionAsync(AuthClient.NewUsername(), AttackContext.Password);
        using (var deleted = await Client.DeleteAccountAsync(Context.DeletedAccountToken, AttackContext.Password))
        {
            Context.AccountDeletion = deleted.StatusCode;
        }

        // Verified once: the genuine token is in the validated-token cache, so tampered spellings of it test the cache too.
        using (var verified = await Client.VerifyAsync(Context.Genuine))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        Context.Published = await PublishedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        Client.Dispose();
        await App.DisposeAsync();
        Context.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<List<(string, byte[])>> PublishedAsync()
    {
        var jwks = await Client.GetStringAsync(".well-known/jwks.json");
        if (Context.ActiveKey is not ECDsa ec)
        {
            var configuration = await Client.GetStringAsync(".well-known/openid-configuration");
            Assert.Empty(JsonNode.Parse(jwks)!["keys"]!.AsArray());
            return
            [
                ("the JWKS document", Encoding.UTF8.GetBytes(jwks)),
                ("the JWKS document and a newline", Encoding.UTF8.GetBytes(jwks + "\n")),
                ("the issuer", Encoding.UTF8.GetBytes(FuncAuthApp.Issuer)),
                ("the kid", Encoding.UTF8.GetBytes(Context.KeyId)),
                ("the OpenID configuration", Encoding.UTF8.GetBytes(configuration)),
                ("an empty secret", []),
                ("the audience", Encoding.UTF8.GetBytes(FuncAuthApp.Audience)),
            ];
        }

        var jwk = JsonNode.Parse(jwks)!["keys"]!.AsArray().Single(k => k!["kid"]!.GetValue<string>() == Context.KeyId)!;
        var x = Base64Url.DecodeFromChars(jwk["x"]!.GetValue<string>());
        var y = Base64Url.DecodeFromChars(jwk["y"]!.GetValue<string>());
        var spki = ec.ExportSubjectPublicKeyInfo();
        var pem = PemEncoding.WriteString("PUBLIC KEY", spki);
        return
        [
            ("the JWK", Encoding.UTF8.GetBytes(jwk.ToJsonString())),
            ("the JWKS document", Encoding.UTF8.GetBytes(jwks)),
            ("the PEM", Encoding.UTF8.GetBytes(pem)),
            ("the PEM and a newline", Encoding.UTF8.GetBytes(pem + "\n")),
            ("the DER", spki),
            ("04||x||y", [0x04, .. x, .. y]),
            ("x||y", [.. x, .. y]),
        ];
    }
}

public sealed class Hs256CorpusDeployment(StorageFixture storage)
    : CorpusDeployment(storage, TestKeys.Hs256, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

public sealed class Es256CorpusDeployment(StorageFixture storage)
    : CorpusDeployment(storage, TestKeys.Es256, TestKeys.NewEs256());

/// <summary>
/// The corpus against one deployment: every crafted header is refused by verify, logout, sessions and password
/// change, as its case says; the controls pass, so the refusals are no artefact of how the tokens are made.
/// </summary>
public abstract class JwtAttackCorpusTests(CorpusDeployment deployment)
{
    private const string Invalid = "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"";
    private const string Expired = "Bearer error=\"invalid_token\", error_description=\"The access token expired.\"";
    private const string Revoked = "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked.\"";

    private AttackContext Context => deployment.Context;

    public static TheoryData<string> Cases() => [.. JwtAttackCorpus.Cases.Select(c => c.Name)];

    private static readonly string[] ControlNames =
    [
        "the genuine token passes verify and lists its sessions",
        "a token the corpus forges without any change passes verify",
        "a token the previous key signed under its own kid passes verify",
        "the genuine token after two spaces passes verify (RFC 6750 §2.1: \"Bearer\" 1*SP b64token)",
        "the genuine token with trailing spaces passes verify (RFC 9110 §5.5: no trailing whitespace in a field value)",
        "the genuine token under a lower-case scheme passes verify (RFC 9110 §11.1: the scheme is case-insensitive)",
        "the genuine token reaches the password check (403 for a wrong current password)",
        "a throwaway session's token logs out (204)",
    ];

    public static TheoryData<string> Controls() => [.. ControlNames];

    [Fact]
    public void The_corpus_has_at_least_60_distinct_named_cases_each_with_a_rule()
    {
        Assert.True(JwtAttackCorpus.Cases.Count >= 60, $"{JwtAttackCorpus.Cases.Count} cases");
        Assert.Equal(JwtAttackCorpus.Cases.Count, JwtAttackCorpus.Cases.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(JwtAttackCorpus.Cases, c => Assert.False(string.IsNullOrWhiteSpace(c.Rule)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Is_refused_by_every_bearer_endpoint(string name)
    {
        var attack = JwtAttackCorpus.Case(name);
        Context.ForgetSignature();
        var authorization = attack.Authorization(Context);
        if (attack.GenuineSignature)
        {
            // The case tests its rule: the signature (read as a lenient verifier would) is genuine for the key it names.
            Assert.True(HasGenuineSignature(authorization[0], Context.LastSignature), $"The crafted token of \"{name}\" is not signed as the case says.");
        }

        var failures = new List<string>();
        foreach (var (method, path) in new[] { ("GET", "api/auth/verify"), ("POST", "api/auth/logout"), ("GET", "api/auth/sessions"), ("POST", "api/auth/password") })
        {
            var body = path == "api/auth/password"
                ? "{\"current_password\":\"" + AttackContext.Password + "\",\"new_password\":\"another fine password\"}"
                : null;
            var response = await SendRawAsync(method, path, authorization, body);

            // Logout refuses a revoked token like every other endpoint (the idempotent way to end a token is RFC 7009 revoke).
            CorpusOutcome? expected = attack.Outcome;
            var mismatch = response.EvilHeader ? "an X-Evil response header" : Mismatch(expected, response);
            var observed = $"{method} {path} → {response.Status} [{response.Challenge}] {Shorten(response.Body)}";
            TestContext.Current.TestOutputHelper?.WriteLine(observed);
            if (mismatch is not null)
            {
                failures.Add($"{mismatch}: {observed}");
            }
        }

        Assert.False(deployment.SomethingFetched, "FuncAuth connected to the URL of a jku or x5u header.");
        if (failures.Count > 0)
        {
            Assert.Fail($"\"{name}\" ({attack.Rule}), expected {attack.Outcome}:\n{string.Join("\n", failures)}");
        }
    }

    [Theory]
    [MemberData(nameof(Controls))]
    public async Task Control(string name)
    {
        var client = deployment.Client;
        var genuine = Context.Genuine;
        switch (Array.IndexOf(ControlNames, name))
        {
            case 0:
                await AssertOkAsync($"Bearer {genuine}", "api/auth/verify");
                await AssertOkAsync($"Bearer {genuine}", "api/auth/sessions");
                break;
            case 1:
                await AssertOkAsync($"Bearer {Context.Forge()}", "api/auth/verify");
                Assert.True(HasGenuineSignature($"Bearer {Context.Forge()}", Context.LastSignature));
                break;
            case 2:
                await AssertOkAsync($"Bearer {deployment.PreviousKeyToken}", "api/auth/verify");
                break;
            case 3:
                await AssertOkAsync($"Bearer  {genuine}", "api/auth/verify");
                break;
            case 4:
                await AssertOkAsync($"Bearer {genuine}  ", "api/auth/verify");
                break;
            case 5:
                await AssertOkAsync($"bearer {genuine}", "api/auth/verify");
                break;
            case 6:
                using (var wrong = await client.ChangePasswordAsync(genuine, "not the password at all", "another fine password"))
                {
                    Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
                }

                break;
            case 7:
                var (throwaway, _) = await client.StartSessionAsync(Context.VictimUsername, AttackContext.Password);
                using (var logout = await client.LogoutAsync(throwaway))
                {
                    Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
                }

                break;
            default:
                throw new ArgumentException(name);
        }
    }

    /// <summary>What is wrong with the answer, or null. <paramref name="expected"/> null: 204 (logout of an ended session).</summary>
    private static string? Mismatch(CorpusOutcome? expected, RawResponse response)
    {
        var (status, challenge) = (response.Status, response.Challenge);
        if (status >= 500)
        {
            return "a server error";
        }

        if (expected is null)
        {
            return status == 204 ? null : "expected 204 (logout of an ended session is idempotent)";
        }

        if (status is >= 200 and < 300)
        {
            return "ACCEPTED";
        }

        var problemJson = response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true;
        return expected switch
        {
            CorpusOutcome.InvalidToken => status == 401 && challenge == Invalid && problemJson ? null : "expected 401 invalid_token (invalid)",
            CorpusOutcome.Expired => status == 401 && challenge == Expired && problemJson ? null : "expected 401 invalid_token (expired)",
            CorpusOutcome.Revoked => status == 401 && challenge == Revoked && problemJson ? null : "expected 401 invalid_token (revoked)",
            CorpusOutcome.NoToken => status == 401 && challenge == "Bearer" && problemJson ? null : "expected 401 with a bare Bearer challenge",
            CorpusOutcome.Malformed =>
                (status == 400 && challenge.StartsWith("Bearer error=\"invalid_request\"", StringComparison.Ordinal)) || (status == 401 && challenge == Invalid)
                    ? null
                    : "expected 400 invalid_request or 401 invalid_token",
            CorpusOutcome.TooLarge => status is >= 400 and < 500 ? null : "expected a 4xx",
            _ => throw new ArgumentOutOfRangeException(nameof(expected)),
        };
    }

    /// <summary>
    /// Whether the token of the header carries a signature by <paramref name="signer"/> over its first two parts, read as
    /// a lenient verifier would: whitespace and percent-encoding dropped, standard base64 and padding in the signature
    /// accepted, spare bits ignored. Verified with Microsoft.IdentityModel (HMAC with the framework), not the signing code.
    /// </summary>
    private static bool HasGenuineSignature(string authorization, (string Algorithm, object Key)? signer)
    {
        if (signer is not { } s)
        {
            return false;
        }

        var token = Uri.UnescapeDataString(authorization["Bearer".Length..]).Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("\t", string.Empty, StringComparison.Ordinal);
        var parts = token.Split('.');
        if (parts.Length < 3)
        {
            return false;
        }

        var input = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        var encoded = ClearSpareBits(parts[2].TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        var signature = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        if (Base64Url.DecodeFromChars(encoded, signature, out _, out var length) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        signature = signature[..length];
        return s switch
        {
            ("HS256", byte[] secret) => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(secret, input), signature),
            ("HS384", byte[] secret) => CryptographicOperations.FixedTimeEquals(HMACSHA384.HashData(secret, input), signature),
            ("HS512", byte[] secret) => CryptographicOperations.FixedTimeEquals(HMACSHA512.HashData(secret, input), signature),
            (var alg, RSA rsa) => Verify(new RsaSecurityKey(rsa), alg, input, signature),
            (var alg, ECDsa ec) => Verify(new ECDsaSecurityKey(ec), alg, input, signature),
            _ => false,
        };
    }

    /// <summary>The encoding with the unused low bits of its last character cleared, as a lenient decoder reads it.</summary>
    private static string ClearSpareBits(string encoded)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var spare = (encoded.Length % 4) switch { 2 => 0b1111, 3 => 0b11, _ => 0 };
        var last = encoded.Length == 0 ? -1 : Alphabet.IndexOf(encoded[^1], StringComparison.Ordinal);
        return spare == 0 || last < 0 ? encoded : encoded[..^1] + Alphabet[last & ~spare];
    }

    private static bool Verify(SecurityKey key, string algorithm, byte[] input, byte[] signature)
    {
        var provider = new CryptoProviderFactory { CacheSignatureProviders = false }.CreateForVerifying(key, algorithm);
        return provider.Verify(input, signature);
    }

    private async Task AssertOkAsync(string authorization, string path)
    {
        var response = await SendRawAsync("GET", path, [authorization], null);
        Assert.True(response.Status == 200, $"{path} with [{authorization}] → {response.Status} [{response.Challenge}] {response.Body}");
    }

    /// <summary>
    /// One request straight into the test server, the Authorization values exactly as given: HttpClient would parse and
    /// re-serialise them (a tab after the scheme, say, comes out as one space), and then the corpus would not test its case.
    /// </summary>
    private async Task<RawResponse> SendRawAsync(string method, string path, string[] authorization, string? json)
    {
        var context = await deployment.App.Server.SendAsync(
            c =>
            {
                c.Request.Method = method;
                c.Request.Path = "/" + path;
                if (authorization.Length > 0)
                {
                    c.Request.Headers.Authorization = new StringValues(authorization);
                }

                if (json is not null)
                {
                    var bytes = Encoding.UTF8.GetBytes(json);
                    c.Request.ContentType = "application/json";
                    c.Request.ContentLength = bytes.Length;
                    c.Request.Body = new MemoryStream(bytes);
                }
            },
            TestContext.Current.CancellationToken);
        using var reader = new StreamReader(context.Response.Body);
        return new RawResponse(
            context.Response.StatusCode,
            string.Join(" | ", context.Response.Headers.WWWAuthenticate.ToArray()),
            context.Response.ContentType,
            await reader.ReadToEndAsync(TestContext.Current.CancellationToken),
            context.Response.Headers.ContainsKey("X-Evil"));
    }

    private static string Shorten(string body) => body.Length <= 400 ? body : body[..400] + "…";

    private sealed record RawResponse(int Status, string Challenge, string? ContentType, string Body, bool EvilHeader);
}

public sealed class JwtAttackCorpusTestsHs256(Hs256CorpusDeployment deployment) : JwtAttackCorpusTests(deployment), IClassFixture<Hs256CorpusDeployment>;

public sealed class JwtAttackCorpusTestsEs256(Es256CorpusDeployment deployment) : JwtAttackCorpusTests(deployment), IClassFixture<Es256CorpusDeployment>;

/// <summary>An app for refresh-token attacks: a clock the test moves, a short refresh lifetime, no reuse interval.</summary>
public abstract class RefreshDeployment(StorageFixture storage, string signingKey) : IAsyncLifetime
{
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromMinutes(5);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public FuncAuthApp App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        var settings = TestKeys.Active(signingKey);
        settings["FuncAuth:Sessions:RefreshTokenLifetime"] = RefreshTokenLifetime.ToString("c", CultureInfo.InvariantCulture);
        settings["FuncAuth:Sessions:RefreshReuseInterval"] = "00:00:00";
        App = new FuncAuthApp(storage.ConnectionString, settings) { Time = Time };
        Client = App.CreateClient();
        return ValueTask.CompletedTask;
    }

    /// <summary>A new user's session.</summary>
    public Task<(string Access, string Refresh)> NewSessionAsync() => Client.RegisterAndStartSessionAsync(AuthClient.NewUsername(), AttackContext.Password);

    /// <summary>Spends <paramref name="refresh"/>; answers its successor.</summary>
    public async Task<string> RotateAsync(string refresh)
    {
        using var rotated = await Client.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        return (await rotated.TokensAsync()).Refresh;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class Hs256RefreshDeployment(StorageFixture storage) : RefreshDeployment(storage, TestKeys.Hs256);

public sealed class Es256RefreshDeployment(StorageFixture storage) : RefreshDeployment(storage, TestKeys.Es256);

/// <summary>Refresh-token attacks at <c>POST api/auth/token</c>: each an RFC 6749 §5.2 error, never 2xx or 5xx.</summary>
public abstract class JwtAttackCorpusRefreshTests(RefreshDeployment deployment)
{
    public static TheoryData<string> Attacks() => [.. JwtAttackCorpus.RefreshAttacks.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Is_refused(string name)
    {
        var attack = JwtAttackCorpus.RefreshAttack(name);
        var parameters = await attack.Parameters(deployment);
        using var response = await deployment.Client.TokenAsync(parameters);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var observed = $"POST api/auth/token → {(int)response.StatusCode} {(body.Length <= 400 ? body : body[..400])}";
        TestContext.Current.TestOutputHelper?.WriteLine(observed);
        Assert.True((int)response.StatusCode < 500, $"\"{name}\": a server error: {observed}");
        Assert.False(response.IsSuccessStatusCode, $"\"{name}\" ({attack.Rule}) was ACCEPTED: {observed}");
        if (attack.Expected == "413")
        {
            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"\"{name}\" ({attack.Rule}), expected 413: {observed}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return;
        }

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"\"{name}\" ({attack.Rule}), expected 400 {attack.Expected}: {observed}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["error", "error_description"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(json.RootElement.GetProperty("error").GetString() == attack.Expected, $"\"{name}\" ({attack.Rule}), expected {attack.Expected}: {observed}");
        if (attack.Because is { } because)
        {
            Assert.Contains(because, json.RootElement.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Control_a_fresh_refresh_token_is_accepted_and_stays_in_its_session()
    {
        var (access, refresh) = await deployment.NewSessionAsync();
        using var response = await deployment.Client.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (next, _) = await response.TokensAsync();
        Assert.Equal(AuthClient.SessionIdOf(access), AuthClient.SessionIdOf(next));
    }

    [Fact]
    public async Task A_refresh_token_of_user_A_never_yields_a_token_with_user_B_sub()
    {
        var (accessA, refreshA) = await deployment.NewSessionAsync();
        var (accessB, refreshB) = await deployment.NewSessionAsync();
        var subA = new JsonWebToken(accessA).Subject;
        var subB = new JsonWebToken(accessB).Subject;
        Assert.NotEqual(subA, subB);

        foreach (var (refresh, sub, other) in new[] { (refreshA, subA, subB), (refreshB, subB, subA) })
        {
            using var response = await deployment.Client.RefreshAsync(refresh);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var (access, _) = await response.TokensAsync();
            using var verified = await deployment.Client.VerifyAsync(access);
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            using var claims = await verified.JsonAsync();
            Assert.Equal(sub, claims.RootElement.GetProperty("sub").GetString());
            Assert.NotEqual(other, claims.RootElement.GetProperty("sub").GetString());
        }
    }
}

public sealed class JwtAttackCorpusRefreshTestsHs256(Hs256RefreshDeployment deployment)
    : JwtAttackCorpusRefreshTests(deployment), IClassFixture<Hs256RefreshDeployment>;

public sealed class JwtAttackCorpusRefreshTestsEs256(Es256RefreshDeployment deployment)
    : JwtAttackCorpusRefreshTests(deployment), IClassFixture<Es256RefreshDeployment>;
