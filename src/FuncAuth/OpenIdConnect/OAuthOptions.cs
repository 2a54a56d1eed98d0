namespace FuncAuth.OpenIdConnect;

/// <summary>The token endpoint's grants: <c>FuncAuth:OAuth</c>.</summary>
public sealed class OAuthOptions
{
    public const string SectionName = "FuncAuth:OAuth";

    /// <summary>
    /// Whether <c>grant_type=password</c> is served (default true, for the apps that post a password today). The OAuth 2.0
    /// Security BCP (RFC 9700 §2.4) says the password grant MUST NOT be used, since it teaches users to type their password
    /// into apps and cannot carry a second factor: a deployment whose apps all use browser sign-in turns it off, and the
    /// grant then answers <c>unsupported_grant_type</c> and leaves discovery's <c>grant_types_supported</c>.
    /// </summary>
    public bool PasswordGrantEnabled { get; set; } = true;
}
