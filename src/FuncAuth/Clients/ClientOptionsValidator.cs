using System.Globalization;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Clients;

/// <summary>
/// Checks the registered clients at start-up; every refusal names the setting (<c>FuncAuth:Clients:N:…</c>), never a
/// secret's value.
/// </summary>
internal sealed class ClientOptionsValidator(IOptions<TokenOptions> tokens) : IValidateOptions<ClientOptions>
{
    /// <summary>Client ids are printable ASCII without spaces (RFC 6749 §A.1 allows spaces; nobody needs them) and short.</summary>
    public const int MaxClientIdLength = 128;

    public ValidateOptionsResult Validate(string? name, ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            var prefix = client.SettingPath ?? string.Create(CultureInfo.InvariantCulture, $"{ClientOptions.SectionName}:{i}");
            CheckClientId(client.ClientId, prefix, seen, failures);
            CheckSecret(client.ClientSecret, prefix, failures);
            CheckList(client.AllowedGrantTypes, $"{prefix}:AllowedGrantTypes", ClientVocabulary.GrantTypes, failures);
            CheckScopes(client.AllowedScopes, $"{prefix}:AllowedScopes", failures);

            var grantTypes = client.AllowedGrantTypes.Count == 0 ? ClientVocabulary.DefaultGrantTypes : [.. client.AllowedGrantTypes];
            if (grantTypes.Contains(ClientVocabulary.ClientCredentialsGrant))
            {
                CheckServiceClient(client, prefix, failures);
            }

            if (grantTypes.Contains(ClientVocabulary.AuthorizationCodeGrant) && client.RedirectUris.Count == 0)
            {
                failures.Add($"{prefix}:RedirectUris needs at least one redirect URI ({prefix}:RedirectUris:0) for the authorization_code grant.");
            }

            CheckUris(client.RedirectUris, $"{prefix}:RedirectUris", failures);
            CheckUris(client.PostLogoutRedirectUris, $"{prefix}:PostLogoutRedirectUris", failures);
        }

        if (options.Clients.Count > 0 && !HasAsymmetricSigningKey())
        {
            // An ID token is validated by the client with the keys FuncAuth publishes (the JWKS). An HS256 key is a
            // secret no client holds (and must not: with it, a client could mint tokens for every other one).
            failures.Add(
                $"{TokenOptionsValidator.SigningKeySetting} must be an asymmetric key (a PEM or JWK private key: EC P-256 for ES256, " +
                $"or RSA for RS256) when clients are registered ({ClientOptions.SectionName}): OpenID Connect clients validate ID tokens " +
                "with the published public key, and an HS256 key is a shared secret they do not have.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private bool HasAsymmetricSigningKey()
    {
        string? value;
        try
        {
            value = tokens.Value.SigningKey;
        }
        catch (OptionsValidationException)
        {
            // The key itself is unusable: its own check names it.
            return true;
        }

        // An unreadable key is also reported by its own check; only a readable symmetric one is refused here.
        return SigningKeyReader.TryRead(value, out _) is not { PublicKey: null };
    }

    private static void CheckClientId(string? clientId, string prefix, HashSet<string> seen, List<string> failures)
    {
        var setting = $"{prefix}:ClientId";
        if (string.IsNullOrEmpty(clientId))
        {
            failures.Add($"{setting} is required.");
        }
        else if (clientId.Length > MaxClientIdLength || clientId.Any(c => c is <= ' ' or >= '\u007f'))
        {
            failures.Add($"{setting} must be 1 to {MaxClientIdLength} printable ASCII characters, with no spaces.");
        }
        else if (!seen.Add(clientId))
        {
            failures.Add($"{setting} \"{clientId}\" is registered twice; client ids must be unique.");
        }
    }

    private static void CheckSecret(string? secret, string prefix, List<string> failures)
    {
        var setting = $"{prefix}:ClientSecret";
        if (secret is null || secret.Length == 0)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(secret) || secret.Trim().Length != secret.Length)
        {
            failures.Add($"{setting} must not be blank or begin or end with spaces (omit it for a public client).");
        }
        else if (secret.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            // The platform leaves a reference it could not resolve in place of the secret.
            failures.Add($"{setting} is an unresolved Key Vault reference (check that the secret exists and the app's identity may read it).");
        }
    }

    private static void CheckList(IList<string> values, string setting, IReadOnlyList<string> allowed, List<string> failures)
    {
        for (var j = 0; j < values.Count; j++)
        {
            if (!allowed.Contains(values[j], StringComparer.Ordinal))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting}:{j} must be one of {string.Join(", ", allowed)}."));
            }
        }
    }

    /// <summary>
    /// Each scope is a user scope (openid, profile, email, offline_access) or an API scope name by
    /// <see cref="ClientVocabulary.ApiScopeRule"/> (granted only by the client credentials grant).
    /// </summary>
    private static void CheckScopes(IList<string> values, string setting, List<string> failures)
    {
        for (var j = 0; j < values.Count; j++)
        {
            if (!ClientVocabulary.IsUserScope(values[j]) && !ClientVocabulary.IsApiScopeName(values[j]))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{setting}:{j} must be one of {string.Join(", ", ClientVocabulary.Scopes)}, or an API scope name of {ClientVocabulary.ApiScopeRule}."));
            }
        }
    }

    /// <summary>
    /// The client credentials grant (RFC 6749 §4.4) is for a confidential client only: with no user and no redirect, its
    /// secret is all that says who is asking. Its token carries API scopes only, so it must be allowed at least one.
    /// </summary>
    private static void CheckServiceClient(ClientRegistration client, string prefix, List<string> failures)
    {
        if (string.IsNullOrEmpty(client.ClientSecret))
        {
            failures.Add(
                $"{prefix}:AllowedGrantTypes lists client_credentials, which needs a confidential client: set {prefix}:ClientSecret " +
                "(a public client has no secret, so anyone could take its tokens).");
        }

        if (!client.AllowedScopes.Any(ClientVocabulary.IsApiScopeName))
        {
            failures.Add(
                $"{prefix}:AllowedScopes needs at least one API scope (such as orders.read) for the client_credentials grant: " +
                $"its tokens carry API scopes only, never {string.Join(", ", ClientVocabulary.Scopes)}.");
        }
    }

    private static void CheckUris(IList<string> values, string setting, List<string> failures)
    {
        for (var j = 0; j < values.Count; j++)
        {
            if (RedirectUriRules.Refusal(values[j]) is { } refusal)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting}:{j} {refusal}."));
            }
        }
    }
}
