using FuncAuth.Accounts;
using FuncAuth.Sessions;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// What an administrator does to an account, done here as the admin API does it (its endpoints come with their own tests):
/// roles and the disabled switch through <see cref="UserStore.TryUpdateAdministrationAsync"/>, re-read on a lost race, and
/// on disabling the end of every session (<see cref="SessionService.EndAllAsync"/>).
/// </summary>
internal static class AdminSwitches
{
    public static async Task<UserAccount> AccountAsync(FuncAuthApp app, string name)
    {
        Assert.True(Username.TryCreate(name, out var username, out _));
        return (await app.Services.GetRequiredService<UserStore>().FindAsync(username!, default))!;
    }

    public static Task<UserAccount> SetRolesAsync(FuncAuthApp app, string name, params string[] roles) =>
        UpdateAsync(app, name, account => (roles, account.Disabled));

    public static async Task<UserAccount> SetDisabledAsync(FuncAuthApp app, string name, bool disabled, bool endSessions = true)
    {
        var account = await UpdateAsync(app, name, account => (account.RoleNames, disabled));
        if (disabled && endSessions)
        {
            await app.Services.GetRequiredService<SessionService>().EndAllAsync(account.Id, keepSessionId: null, "disabled by a test administrator");
        }

        return account;
    }

    private static async Task<UserAccount> UpdateAsync(FuncAuthApp app, string name, Func<UserAccount, (IReadOnlyList<string> Roles, bool Disabled)> change)
    {
        var users = app.Services.GetRequiredService<UserStore>();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var account = await AccountAsync(app, name);
            var (roles, disabled) = change(account);
            if (await users.TryUpdateAdministrationAsync(account, roles, disabled, default) is { } updated)
            {
                return updated;
            }
        }

        throw new InvalidOperationException("The account kept changing.");
    }

    /// <summary>The <c>roles</c> claim of a JWT (read without validation: tests only); null when absent.</summary>
    public static string[]? RolesOf(string jwt) =>
        TestTokens.PayloadOf(jwt)["roles"] is System.Text.Json.Nodes.JsonArray roles ? [.. roles.Select(r => r!.GetValue<string>())] : null;
}
