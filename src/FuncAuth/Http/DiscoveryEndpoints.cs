using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FuncAuth.Clients;
using FuncAuth.Http.Pipeline;
using FuncAuth.OpenIdConnect;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace FuncAuth.Http;

/// <summary>
/// The public keys (RFC 7517) and the metadata that points at them (RFC 8414, OpenID Connect Discovery), so
/// any JWT stack validates FuncAuth tokens offline: <c>AddJwtBearer</c> with <c>Authority = issuer</c>, PyJWT's
/// <c>PyJWKClient</c>, jose's <c>createRemoteJWKSet</c>. Public and cacheable, with an ETag for revalidation.
/// </summary>
internal sealed class DiscoveryEndpoints
{
    public const string JwkSetMediaType = "application/jwk-set+json";

    private const string Tag = "Discovery";

    private static readonly string[] Scopes = [IdTokens.Scope, IdTokens.ProfileScope, IdTokens.EmailScope, IdTokens.OfflineAccessScope];
    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] ResponseModes = ["query", "form_post"];
    private static readonly string[] CodeChallengeMethods = ["S256"];
    private static readonly string[] ClientAuthMethods = ["client_secret_basic", "client_secret_post", "none"];
    private static readonly string[] NoClientAuthentication = ["none"];
    private static readonly string[] PublicSubjects = ["public"];

    // The claims of access tokens and of ID tokens (and so of userinfo), each once.
    private static readonly string[] Claims =
    [
        .. new[]
        {
            JwtRegisteredClaimNames.Iss, JwtRegisteredClaimNames.Aud, JwtRegisteredClaimNames.Sub, TokenIssuer.UsernameClaim,
            JwtRegisteredClaimNames.Iat, JwtRegisteredClaimNames.Nbf, JwtRegisteredClaimNames.Exp, JwtRegisteredClaimNames.Jti,
            TokenIssuer.SessionIdClaim, TokenIssuer.ScopeClaim, TokenIssuer.ClientIdClaim,
        }.Concat(IdTokens.Claims).Distinct(StringComparer.Ordinal),
    ];

    private readonly JsonWebKeySetDocument _keySet;
    private readonly string _keySetTag;
    private readonly string _issuer;
    private readonly IReadOnlyList<string> _algorithms;
    private readonly IReadOnlyList<string> _grantTypes;

    // When the issuer is the base URL (the usual case), the document never changes: made once, with its tag.
    private readonly (AuthorizationServerMetadata Document, string Tag)? _fixedMetadata;
    private readonly TimeSpan _maxAge;

    public DiscoveryEndpoints(SigningKeys keys, IOptions<TokenOptions> options, IOptions<OAuthOptions> oauth, ClientRegistry clients)
    {
        var settings = options.Value;
        _issuer = settings.Issuer;

        // ID tokens are checked by relying parties with a published key: asymmetric algorithms only (an HS256 key is a
        // secret, so an HS256-only deployment, which has no clients, lists none).
        _algorithms = [.. keys.All.Where(k => k.PublicKey is not null).Select(k => k.Algorithm).Distinct()];
        _grantTypes = [.. OAuthEndpoints.SupportedGrantTypes(oauth.Value, clients)];
        _maxAge = settings.KeySetCacheDuration;

        // Asymmetric keys only: a symmetric key is a secret, so an HS256-only deployment publishes no keys.
        _keySet = new JsonWebKeySetDocument([.. keys.All.Where(k => k.PublicKey is not null).Select(k => Publish(k.PublicKey!))]);
        _keySetTag = EntityTag(_keySet, DiscoveryJson.Default.JsonWebKeySetDocument);
        if (BaseUrlOf(settings.Issuer) is { } issuerBaseUrl)
        {
            _fixedMetadata = Tagged(MetadataAt(issuerBaseUrl));
        }
    }

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.JsonWebKeySet, FuncAuthRoutes.JsonWebKeySet, Tag, (DiscoveryEndpoints api, EndpointRequest request, CancellationToken _) => api.JsonWebKeySet(request)) with
        {
            CrossOrigin = CrossOrigin.Anyone,
            Summary = "The public keys (JWK Set)",
            Description = "The public keys of the active and previous asymmetric signing keys (RFC 7517), for validating tokens " +
                "offline; never a private or symmetric key, so an HS256-only deployment publishes none. Cacheable; 304 when " +
                "If-None-Match matches.",
            Cacheable = true,
            UsesStorage = false,
            Describe = builder => builder.ProducesCacheableDocument<JsonWebKeySetDocument>(JwkSetMediaType),
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.OpenIdConfiguration, FuncAuthRoutes.OpenIdConfiguration, Tag, (DiscoveryEndpoints api, EndpointRequest request, CancellationToken _) => api.Metadata(request)) with
        {
            CrossOrigin = CrossOrigin.Anyone,
            Summary = "OpenID Connect discovery metadata",
            Description = "The metadata that points verifiers at the keys and clients at the endpoints (OpenID Connect Discovery " +
                "1.0): issuer, jwks_uri, token and revocation endpoints, grant types, signing algorithms, claims. The same document " +
                "as .well-known/oauth-authorization-server. Cacheable; 304 when If-None-Match matches.",
            Cacheable = true,
            UsesStorage = false,
            Describe = builder => builder.ProducesCacheableDocument<AuthorizationServerMetadata>("application/json"),
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.AuthorizationServerMetadata, FuncAuthRoutes.AuthorizationServerMetadata, Tag, (DiscoveryEndpoints api, EndpointRequest request, CancellationToken _) => api.Metadata(request)) with
        {
            CrossOrigin = CrossOrigin.Anyone,
            Summary = "OAuth 2.0 authorization server metadata",
            Description = "The authorization server metadata of RFC 8414, the same document as .well-known/openid-configuration. " +
                "Cacheable; 304 when If-None-Match matches.",
            Cacheable = true,
            UsesStorage = false,
            Describe = builder => builder.ProducesCacheableDocument<AuthorizationServerMetadata>("application/json"),
        },
    ];

    /// <summary><c>GET .well-known/jwks.json</c>: the active and previous public keys; 304 when the client's copy is current.</summary>
    private ValueTask<Results<JsonHttpResult<JsonWebKeySetDocument>, StatusCodeHttpResult>> JsonWebKeySet(EndpointRequest request) =>
        ValueTask.FromResult(Conditional(request.Http, _keySet, _keySetTag, DiscoveryJson.Default.JsonWebKeySetDocument, JwkSetMediaType));

    /// <summary><c>GET .well-known/openid-configuration</c> and <c>.well-known/oauth-authorization-server</c>: the metadata document.</summary>
    private ValueTask<Results<JsonHttpResult<AuthorizationServerMetadata>, StatusCodeHttpResult>> Metadata(EndpointRequest request)
    {
        // When the issuer is not a URL, the documents describe the address they were asked at.
        var http = request.Http;
        var (metadata, tag) = _fixedMetadata ?? Tagged(MetadataAt($"{http.Scheme}://{http.Host}{http.PathBase}"));
        return ValueTask.FromResult(Conditional(http, metadata, tag, DiscoveryJson.Default.AuthorizationServerMetadata, "application/json"));
    }

    private AuthorizationServerMetadata MetadataAt(string baseUrl) => new(
        _issuer,
        AuthorizationEndpoint: $"{baseUrl}/{FuncAuthRoutes.Authorize}",
        TokenEndpoint: $"{baseUrl}/{FuncAuthRoutes.Token}",
        UserInfoEndpoint: $"{baseUrl}/{FuncAuthRoutes.UserInfo}",
        EndSessionEndpoint: $"{baseUrl}/{FuncAuthRoutes.EndSession}",
        RevocationEndpoint: $"{baseUrl}/{FuncAuthRoutes.Revoke}",
        JwksUri: $"{baseUrl}/{FuncAuthRoutes.JsonWebKeySet}",
        ScopesSupported: Scopes,
        ResponseTypesSupported: ResponseTypes,
        ResponseModesSupported: ResponseModes,
        GrantTypesSupported: _grantTypes,
        CodeChallengeMethodsSupported: CodeChallengeMethods,
        TokenEndpointAuthMethodsSupported: ClientAuthMethods,
        RevocationEndpointAuthMethodsSupported: NoClientAuthentication,
        SubjectTypesSupported: PublicSubjects,
        SigningAlgorithmsSupported: _algorithms,
        ClaimsSupported: Claims,
        AuthorizationResponseIssParameterSupported: true);

    private Results<JsonHttpResult<T>, StatusCodeHttpResult> Conditional<T>(
        HttpRequest request, T document, string entityTag, JsonTypeInfo<T> typeInfo, string contentType)
    {
        ResponseHeaders.Public(request.HttpContext.Response, _maxAge, entityTag);
        return Matches(request, entityTag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Json(document, typeInfo, contentType);
    }

    // RFC 9110 §13.1.2: If-None-Match compares weakly, and "*" matches any current representation.
    private static bool Matches(HttpRequest request, string entityTag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var current = EntityTagHeaderValue.Parse(entityTag);
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false))
            {
                return true;
            }
        }

        return false;
    }

    private static (AuthorizationServerMetadata Document, string Tag) Tagged(AuthorizationServerMetadata document) =>
        (document, EntityTag(document, DiscoveryJson.Default.AuthorizationServerMetadata));

    private static string EntityTag<T>(T document, JsonTypeInfo<T> typeInfo)
    {
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document, typeInfo));
        return $"\"{Base64Url.EncodeToString(hash.AsSpan(0, 16))}\"";
    }

    private static PublicJsonWebKey Publish(JsonWebKey key) => new(
        key.Kty, key.Use, key.Alg, key.Kid, key.Crv, key.X, key.Y, key.N, key.E);

    private static string? BaseUrlOf(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? issuer.TrimEnd('/')
            : null;
}
