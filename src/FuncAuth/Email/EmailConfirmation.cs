namespace FuncAuth.Email;

/// <summary>Confirming an address (a new account's, or the new one of an address change) with the token a message carried.</summary>
internal sealed class EmailConfirmation
{
    /// <summary>Spends the token and confirms the address it was sent to (or makes it the account's, for a change).</summary>
    public Task<ConfirmEmailResult> ConfirmAsync(string token, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}

internal enum ConfirmEmailResult
{
    Confirmed,

    /// <summary>Unknown, spent, expired or voided: one answer for all, so a token's state is not revealed.</summary>
    InvalidToken,

    /// <summary>An address change whose new address another account took in the meantime.</summary>
    AddressTaken,
}
