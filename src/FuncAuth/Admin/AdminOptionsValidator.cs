using FuncAuth.Accounts;
using Microsoft.Extensions.Options;

namespace FuncAuth.Admin;

/// <summary>Refuses an admin role that is no role name, or a bootstrap name that is no username, at start-up.</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        if (!Roles.IsValidName(options.Role))
        {
            failures.Add($"{AdminOptions.SectionName}:Role must be {Roles.Rule}.");
        }

        for (var i = 0; i < options.BootstrapUsernames.Count; i++)
        {
            if (!Username.TryCreate(options.BootstrapUsernames[i], out _, out var error))
            {
                failures.Add($"{AdminOptions.SectionName}:BootstrapUsernames:{i} is not a username: {error}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
