using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace FuncAuth.Http;

/// <summary>
/// Verify's 200: the token's <see cref="TokenIntrospection"/>, serialised once per validated token and written as bytes
/// on every later verify of it. The body is a function of the token alone, and validated tokens are remembered (see
/// <see cref="ValidatedTokenCache"/>), so the hot path writes what it wrote before; revocation is still checked first.
/// </summary>
public sealed class IntrospectionResult : IResult, IEndpointMetadataProvider
{
    private const string ContentType = "application/json; charset=utf-8";
    private const string BearerTokenType = "Bearer";

    // Keyed by the validated token's claims object, so an entry lives exactly as long as the cache keeps that token.
    private static readonly ConditionalWeakTable<AccessToken, byte[]> Bodies = [];

    private readonly byte[] _body;

    private IntrospectionResult(byte[] body) => _body = body;

    internal static IntrospectionResult For(AccessToken token) => new(Bodies.GetValue(token, Serialize));

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = _body.Length;
        return response.Body.WriteAsync(_body, httpContext.RequestAborted).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TokenIntrospection), ["application/json"]));
    }

    private static byte[] Serialize(AccessToken token) => JsonSerializer.SerializeToUtf8Bytes(
        new TokenIntrospection(
            Active: true,
            token.Subject,
            token.IsServiceClient ? null : token.Username,
            token.Issuer,
            token.Audience,
            token.IssuedAt.ToUnixTimeSeconds(),
            token.NotBefore.ToUnixTimeSeconds(),
            token.Expires.ToUnixTimeSeconds(),
            token.TokenId,
            BearerTokenType,
            token.SessionId,
            token.Methods,
            ClientId: token.ClientId,
            Scope: token.Scope,
            Roles: token.Roles),
        VerifyJson.Default.TokenIntrospection);
}

[JsonSerializable(typeof(TokenIntrospection))]
internal sealed partial class VerifyJson : JsonSerializerContext;
