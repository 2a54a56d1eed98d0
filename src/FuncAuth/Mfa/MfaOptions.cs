namespace FuncAuth.Mfa;

/// <summary>The second factor: <c>FuncAuth:Mfa</c>.</summary>
public sealed class MfaOptions
{
    public const string SectionName = "FuncAuth:Mfa";

    /// <summary>
    /// The key TOTP secrets are encrypted with (AES-256-GCM): base64 of 32 random bytes, kept out of storage (a Key Vault
    /// reference in Azure). Without it TOTP is off on the deployment (enrolment answers 404), except in Development, where
    /// one is generated into the local data folder.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>
    /// Keys that no longer encrypt but still decrypt (rotation), in the same form: a secret written under one of them is
    /// re-encrypted under <see cref="EncryptionKey"/> the next time it is used.
    /// </summary>
    public IList<string> PreviousEncryptionKeys { get; } = [];
}
