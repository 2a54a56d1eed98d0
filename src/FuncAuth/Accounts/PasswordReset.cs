namespace FuncAuth.Accounts;

/// <summary>Setting a new password with the token a reset message carried.</summary>
internal sealed class PasswordReset
{
    /// <summary>
    /// Checks the new password against the rules (the token is not spent when it fails them), spends the token, sets the
    /// password, ends every session and clears the name's lockout.
    /// </summary>
    public Task<ResetPasswordResult> ResetAsync(string token, string newPassword, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}

/// <summary>The outcome: <see cref="Done"/>, or why not (<see cref="PasswordRefusal"/> names the rule the new password breaks).</summary>
internal sealed record ResetPasswordResult(bool Done, bool InvalidToken = false, string? PasswordRefusal = null);
