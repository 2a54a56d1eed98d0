using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Passkeys;

/// <summary>
/// Passkeys (WebAuthn): registering one (bearer), listing and removing one's own, and passwordless sign-in with a
/// discoverable credential. Every one is declared <see cref="FuncAuthEndpoint.UsesPasskeys"/>: without a relying party
/// the runner answers 404 before anything else. The handlers only read and answer; the ceremonies are in
/// <see cref="PasskeyRegistration"/> and <see cref="PasskeySignIn"/>, which the hosted pages share.
/// </summary>
internal sealed class PasskeyEndpoints(AccountService accounts, PasskeyRegistration registration, PasskeySignIn signIn)
{
    private const string Tag = "Passkeys";
    private const string NotConfigured = " 404 on a deployment without passkeys (no FuncAuth:Passkeys:RelyingPartyId and no https issuer).";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.PasskeyRegistrationOptions, FuncAuthRoutes.PasskeyRegistrationOptions, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.RegistrationOptionsAsync(request, ct)) with
        {
            Summary = "Options to register a passkey",
            Description = "Answers PublicKeyCredentialCreationOptions as WebAuthn Level 3 JSON (binary members base64url), what " +
                "PublicKeyCredential.parseCreationOptionsFromJSON reads: rp {id, name}, user {id (the user id's UTF-8 bytes), name, " +
                "displayName}, a 256-bit challenge, pubKeyCredParams (ES256, EdDSA, RS256), timeout (300000 ms), excludeCredentials " +
                "(the caller's passkeys), authenticatorSelection {residentKey \"required\", requireResidentKey true, " +
                "userVerification \"required\"} and attestation \"none\". The challenge is stored for 5 minutes and can be answered " +
                "once, by POST api/auth/passkeys, for this account only. No body." + NotConfigured,
            RequiresBearerToken = true,
            UsesPasskeys = true,
            Problems = [Status404NotFound],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.RegisterPasskey, FuncAuthRoutes.Passkeys, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.RegisterAsync(request, ct)) with
        {
            Summary = "Register a passkey",
            Description = "Verifies the attestation that answers options from POST api/auth/passkeys/options (its challenge is spent " +
                "first, whatever comes of it) and stores the credential: 201 with {id (the credential id, base64url), name, " +
                "transports, created_at, last_used_at (null)}. The body is {\"name\": optional, 1 to 64 characters, default " +
                "\"Passkey\"; \"credential\": PublicKeyCredential.toJSON() of navigator.credentials.create()'s answer}. Refused with " +
                "400 and a detail saying why: a body of another shape, a challenge unknown, already used, expired or given to another " +
                "account, another origin or relying party id, user verification or presence missing, an algorithm not offered, a " +
                "credential id already registered (to anyone)." + NotConfigured,
            RequiresBearerToken = true,
            UsesPasskeys = true,
            Body = BodyKind.Json,
            BodySchema = typeof(PasskeyRegistrationBody),
            Problems = [Status400BadRequest, Status404NotFound],
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ListPasskeys, FuncAuthRoutes.Passkeys, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.ListAsync(request, ct)) with
        {
            Summary = "Your passkeys",
            Description = "The caller's passkeys, newest first: {\"passkeys\": [{id, name, transports, created_at, last_used_at}]}; " +
                "last_used_at is null until the passkey signs in." + NotConfigured,
            RequiresBearerToken = true,
            UsesPasskeys = true,
            Problems = [Status404NotFound],
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.DeletePasskey, FuncAuthRoutes.Passkey, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.DeleteAsync(request, ct)) with
        {
            Summary = "Remove one of your passkeys",
            Description = "Removes the caller's passkey with that id (204); it cannot sign in any more, and the credential can be " +
                "registered again. 404 when the caller has no passkey with that id, exactly as for someone else's." + NotConfigured,
            RequiresBearerToken = true,
            UsesPasskeys = true,
            Problems = [Status404NotFound],
            Describe = builder => builder.WithRouteParameter("id", "The passkey's id (its credential id, base64url), as the list gives it."),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.PasskeyLoginOptions, FuncAuthRoutes.PasskeyLoginOptions, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.LoginOptionsAsync(request, ct)) with
        {
            Summary = "Options to sign in with a passkey",
            Description = "Answers PublicKeyCredentialRequestOptions as WebAuthn Level 3 JSON, what " +
                "PublicKeyCredential.parseRequestOptionsFromJSON reads: a 256-bit challenge, rpId, timeout (300000 ms), " +
                "userVerification \"required\", and no allowCredentials (the authenticator offers its discoverable credentials for " +
                "this relying party). The challenge is stored for 5 minutes and can be answered once, by POST " +
                "api/auth/passkeys/login. No body; anonymous, on the token-request budget." + NotConfigured,
            Throttle = Throttle.TokenRequests,
            UsesPasskeys = true,
            Problems = [Status404NotFound],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.PasskeyLogin, FuncAuthRoutes.PasskeyLogin, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.LoginAsync(request, ct)) with
        {
            Summary = "Sign in with a passkey",
            Description = "Verifies an assertion (the body: PublicKeyCredential.toJSON() of navigator.credentials.get()'s answer to " +
                "options from POST api/auth/passkeys/login/options; its challenge is spent first, whatever comes of it), starts a " +
                "session and answers as login: an access token and a refresh token (RFC 6749 §5.1), amr [\"hwk\",\"user\"] for a " +
                "device-bound passkey or [\"swk\",\"user\"] for a synced (backup-eligible) one. A passkey satisfies a second factor: " +
                "no mfa_required. Every refusal is the one 401 of a failed login (challenge unknown, spent or expired, another " +
                "origin or relying party id, user not verified, no such passkey for the user handle, a bad signature, a signature " +
                "counter that did not increase, an account deleted); a body that is not such JSON is 400. A valid assertion for " +
                "an account an administrator disabled is 403, problem type `" + AccountEndpoints.AccountDisabledType + "` (detail \"" +
                Accounts.SignInResult.AccountDisabledDetail + "\"), and no session is started." + NotConfigured,
            Throttle = Throttle.PasswordChecks,
            UsesPasskeys = true,
            Body = BodyKind.Json,
            BodySchema = typeof(PasskeyAssertionBody),
            Problems = [Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status404NotFound],
            Describe = builder => builder.WithResponseHeader(Status401Unauthorized, HeaderNames.WWWAuthenticate, "`Bearer`."),
        },
    ];

    /// <summary><c>POST api/auth/passkeys/options</c>: bearer token → 200 creation options (WebAuthn JSON).</summary>
    private async ValueTask<Results<Ok<JsonElement>, ProblemHttpResult>> RegistrationOptionsAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (await accounts.FindCallerAsync(request.Caller, cancellationToken) is not { } account)
        {
            return GoneAccount(request);
        }

        return TypedResults.Ok(ToJson(await registration.CreateOptionsAsync(account, cancellationToken)));
    }

    /// <summary><c>POST api/auth/passkeys</c>: bearer token and JSON <see cref="PasskeyRegistrationBody"/> → 201 <see cref="PasskeyView"/>.</summary>
    private async ValueTask<Results<Created<PasskeyView>, ProblemHttpResult>> RegisterAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = RequestBody.ParseJson(request.Body, PasskeyBodyJson.Default.PasskeyRegistrationBody, "{\"name\": \"...\", \"credential\": {...}}");
        if (body is null)
        {
            return problem!;
        }

        if (body.Credential is not { ValueKind: JsonValueKind.Object } credential)
        {
            return Problems.Invalid("credential", "The credential must be PublicKeyCredential.toJSON() of the registration.");
        }

        if (PasskeyRegistration.CheckName(body.Name).Error is { } nameError)
        {
            return Problems.Invalid("name", nameError);
        }

        if (await accounts.FindCallerAsync(request.Caller, cancellationToken) is not { } account)
        {
            return GoneAccount(request);
        }

        var result = await registration.RegisterAsync(account, credential.GetRawText(), body.Name, cancellationToken);
        return result.Passkey is { } passkey
            ? TypedResults.Created((string?)null, PasskeyView.Of(passkey))
            : Problems.Invalid("credential", result.Refusal!);
    }

    /// <summary><c>GET api/auth/passkeys</c>: bearer token → 200 <see cref="PasskeyList"/>, newest first.</summary>
    private async ValueTask<Results<Ok<PasskeyList>, ProblemHttpResult>> ListAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (await accounts.FindCallerAsync(request.Caller, cancellationToken) is not { } account)
        {
            return GoneAccount(request);
        }

        var passkeys = await registration.ListAsync(account.Id, cancellationToken);
        return TypedResults.Ok(new PasskeyList([.. passkeys.Select(PasskeyView.Of)]));
    }

    /// <summary><c>DELETE api/auth/passkeys/{id}</c>: bearer token → 204; 404 for an id the caller has no passkey by.</summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> DeleteAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        // Only the caller's own partition is ever looked at: someone else's passkey is not found, exactly as a missing one.
        var id = request.RouteValue("id");
        if (!PasskeyStore.IsCredentialId(id) || !await registration.DeleteAsync(request.Caller.Subject, id!, cancellationToken))
        {
            return Problems.NotFound("You have no passkey with that id.");
        }

        return TypedResults.NoContent();
    }

    /// <summary><c>POST api/auth/passkeys/login/options</c>: → 200 request options (WebAuthn JSON).</summary>
    private async ValueTask<Ok<JsonElement>> LoginOptionsAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToJson(await signIn.CreateOptionsAsync(cancellationToken)));

    /// <summary><c>POST api/auth/passkeys/login</c>: an assertion (WebAuthn JSON) → 200 <see cref="AccessTokenResponse"/>, a new session's tokens.</summary>
    private async ValueTask<Results<Ok<AccessTokenResponse>, JsonHttpResult<ProblemDetails>, ProblemHttpResult>> LoginAsync(
        EndpointRequest request, CancellationToken cancellationToken)
    {
        var json = Encoding.UTF8.GetString(request.Body);
        if (PasskeyJson.ReadAssertion(json) is null)
        {
            return Problems.BadRequest("The body must be PublicKeyCredential.toJSON() of the assertion: {\"id\", \"rawId\", \"type\", \"response\": {\"clientDataJSON\", \"authenticatorData\", \"signature\", \"userHandle\"}, \"clientExtensionResults\"}.");
        }

        // One answer for every refusal, as a failed password login: the reason is in the security log only. A disabled
        // account is told so, but only after its passkey verified.
        var result = await signIn.SignInAsync(json, SessionKind.Direct, cancellationToken);
        return result switch
        {
            { SignIn: { } started } => OAuthEndpoints.Success(started),
            { Outcome: SignInOutcome.AccountDisabled } => AccountEndpoints.AccountDisabled(),
            _ => Problems.LoginFailed(request.Response),
        };
    }

    private static ProblemHttpResult GoneAccount(EndpointRequest request) =>
        BearerToken.InvalidToken(request.Response, "The access token's account no longer exists.");

    private static JsonElement ToJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>A passkey as its owner sees it (201 of a registration, an item of the list).</summary>
public sealed record PasskeyView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("transports")] IReadOnlyList<string> Transports,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset? LastUsedAt)
{
    internal static PasskeyView Of(StoredPasskey passkey) => new(passkey.Id, passkey.Name, passkey.Transports, passkey.CreatedAt, passkey.LastUsedAt);
}

/// <summary>200 from <c>GET api/auth/passkeys</c>.</summary>
public sealed record PasskeyList([property: JsonPropertyName("passkeys")] IReadOnlyList<PasskeyView> Passkeys);

/// <summary>The body of a passkey registration.</summary>
internal sealed class PasskeyRegistrationBody
{
    [JsonPropertyName("name")]
    [Description("Optional: what the owner calls the passkey, 1 to 64 characters after trimming, no control characters; default \"Passkey\".")]
    public string? Name { get; init; }

    [JsonPropertyName("credential")]
    [Required]
    [Description("PublicKeyCredential.toJSON() of the credential navigator.credentials.create() made: {id, rawId, type: \"public-key\", " +
        "response: {clientDataJSON, attestationObject, transports, ...}, clientExtensionResults, authenticatorAttachment}, binaries base64url.")]
    public JsonElement? Credential { get; init; }
}

/// <summary>The body of a passkey sign-in, as <c>PublicKeyCredential.toJSON()</c> writes an assertion (documentation of its shape).</summary>
internal sealed class PasskeyAssertionBody
{
    [JsonPropertyName("id")]
    [Required]
    [Description("The credential id, base64url.")]
    public string? Id { get; init; }

    [JsonPropertyName("rawId")]
    [Required]
    [Description("The credential id, base64url (the same as id).")]
    public string? RawId { get; init; }

    [JsonPropertyName("type")]
    [Required]
    [Description("\"public-key\".")]
    public string? Type { get; init; }

    [JsonPropertyName("response")]
    [Required]
    [Description("{clientDataJSON, authenticatorData, signature, userHandle}, each base64url; userHandle is required (a discoverable credential's).")]
    public JsonElement? Response { get; init; }

    [JsonPropertyName("clientExtensionResults")]
    [Required]
    [Description("The client extension results ({} when none).")]
    public JsonElement? ClientExtensionResults { get; init; }

    [JsonPropertyName("authenticatorAttachment")]
    [Description("Optional: \"platform\" or \"cross-platform\"; not used.")]
    public string? AuthenticatorAttachment { get; init; }
}

/// <summary>Strict JSON for the passkey registration body: a property given twice is an error.</summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(PasskeyRegistrationBody))]
internal sealed partial class PasskeyBodyJson : JsonSerializerContext;
