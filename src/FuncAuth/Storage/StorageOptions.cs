namespace FuncAuth.Storage;

/// <summary>Where users, sessions and the revocation list live: <c>FuncAuth:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "FuncAuth:Storage";

    /// <summary>A Table Storage connection string; <c>UseDevelopmentStorage=true</c> for Azurite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table service endpoint, reached with <c>DefaultAzureCredential</c> (managed identity in Azure).</summary>
    public Uri? TableServiceUri { get; set; }

    public string UsersTableName { get; set; } = "Users";

    public string RevokedTokensTableName { get; set; } = "RevokedTokens";

    public string SessionsTableName { get; set; } = "Sessions";

    /// <summary>Failed password checks per username, for lockout.</summary>
    public string LoginAttemptsTableName { get; set; } = "LoginAttempts";

    /// <summary>Which account each email address belongs to: one row per address (keyed by its hash), so an address is unique.</summary>
    public string EmailAddressesTableName { get; set; } = "EmailAddresses";

    /// <summary>Confirmation and reset tokens, by the hash of the token (never the token itself), and the per-recipient message counts.</summary>
    public string OneTimeTokensTableName { get; set; } = "OneTimeTokens";

    /// <summary>Messages waiting to be sent.</summary>
    public string OutboxTableName { get; set; } = "Outbox";

    /// <summary>Second factors and passkeys, by user: TOTP secrets (encrypted), recovery code hashes, passkey public keys.</summary>
    public string AuthenticatorsTableName { get; set; } = "Authenticators";

    /// <summary>Retries of one storage call before the request is answered 503.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>How long one storage call may take before it counts as a fault.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
