using FuncAuth.Authorization;
using FuncAuth.Sessions;

namespace FuncAuth.OpenIdConnect;

/// <summary>ID tokens (OpenID Connect Core §2), signed by the active key; and reading one back as an <c>id_token_hint</c>.</summary>
internal sealed class IdTokens
{
    /// <summary>The ID token for a redeemed code: <c>aud</c> the client, <c>sid</c> the browser session.</summary>
    public string Issue(AuthorizationGrant grant, Session clientSession) => throw new NotImplementedException("skeleton");

    /// <summary>
    /// An ID token FuncAuth issued (signature, issuer and type checked; expiry not, as RP-Initiated Logout allows), or
    /// null when it is not one.
    /// </summary>
    public IdTokenHint? ReadHint(string idTokenHint) => throw new NotImplementedException("skeleton");
}

/// <summary>What an <c>id_token_hint</c> says: whose it is, which client it was issued to, which browser session.</summary>
internal sealed record IdTokenHint(string Subject, string ClientId, string? SessionId);
