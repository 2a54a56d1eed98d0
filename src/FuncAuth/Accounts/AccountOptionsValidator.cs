using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

internal sealed class AccountOptionsValidator : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions options) =>
        options.RequireConfirmedEmail && !options.RequireEmail
            // An account registered without an address could never sign in, and so never add one (that needs a bearer
            // token): refused at start-up rather than discovered by users locked out of accounts they just made.
            ? ValidateOptionsResult.Fail(
                "FuncAuth:Accounts:RequireConfirmedEmail needs FuncAuth:Accounts:RequireEmail: an account registered without an " +
                "email address could never sign in.")
            : ValidateOptionsResult.Success;
}
