using FuncAuth.Accounts;
using FuncAuth.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Admin;

/// <summary>
/// The first administrators: at start-up, each account <see cref="AdminOptions.BootstrapUsernames"/> names is given
/// <see cref="AdminOptions.Role"/> if it lacks it, so nobody has to edit the Users table by hand. Idempotent (an account that
/// has the role is left alone, so every later start changes nothing), and it only ever adds: removing a name from the setting
/// takes nothing away (an administrator does that through the admin API). It runs in the background on either host: a name
/// with no account is logged and skipped, and storage that cannot be reached is retried with backoff for a while, then given
/// up until the next start; neither stops the app nor holds up its start-up.
/// </summary>
internal sealed class AdminBootstrap(UserStore users, IOptions<AdminOptions> options, TimeProvider time, ILogger<AdminBootstrap> logger)
    : BackgroundService
{
    // A storage fault retries the whole round (granting is idempotent) after 1, 2, 4 … seconds, at most a minute apart: about
    // six minutes of trying, enough for a storage account or Azurite that starts alongside the app.
    private const int MaxRounds = 12;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    // Each lost race (the account changed between the read and the conditional write) reads it again; a handful settles it.
    private const int MaxAttemptsPerAccount = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.BootstrapUsernames.Count == 0)
        {
            return;
        }

        var delay = FirstDelay;
        for (var round = 1; round <= MaxRounds; round++)
        {
            try
            {
                foreach (var name in settings.BootstrapUsernames)
                {
                    await GrantAsync(name, settings.Role, stoppingToken);
                }

                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever it is (StorageUnavailableException most likely): a background service that throws stops the host.
                if (round == MaxRounds)
                {
                    SecurityEvents.AdminBootstrapNotDone(logger, $"storage could not be reached in {MaxRounds} attempts ({e.GetType().Name})");
                    return;
                }

                SecurityEvents.AdminBootstrapDelayed(logger, round, delay, e);
                await Task.Delay(delay, time, stoppingToken);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
        }
    }

    /// <summary>Gives <paramref name="role"/> to the account named <paramref name="name"/>, unless it has it or does not exist.</summary>
    private async Task GrantAsync(string name, string role, CancellationToken cancellationToken)
    {
        // The validator has checked every name at start-up.
        if (!Username.TryCreate(name, out var username, out _))
        {
            return;
        }

        for (var attempt = 0; attempt < MaxAttemptsPerAccount; attempt++)
        {
            if (await users.FindAsync(username!, cancellationToken) is not { } account)
            {
                SecurityEvents.AdminBootstrapAccountMissing(logger, name);
                return;
            }

            if (account.RoleNames.Contains(role, StringComparer.Ordinal))
            {
                return;
            }

            if (Roles.Normalize([.. account.RoleNames, role], out _) is not { } roles)
            {
                SecurityEvents.AdminBootstrapNotDone(logger, $"user {account.Id} already has the most roles a user can have ({Roles.MaxPerUser})");
                return;
            }

            // Conditional on the account as read (its ETag): a concurrent change (an admin's PATCH, a password change) is
            // never overwritten; the account is read again and the role added to what it holds then. Disabled stays as is.
            if (await users.TryUpdateAdministrationAsync(account, roles, account.Disabled, cancellationToken) is not null)
            {
                SecurityEvents.AdminRoleBootstrapped(logger, account.Id, role);
                return;
            }
        }

        SecurityEvents.AdminBootstrapNotDone(logger, "an account it names kept changing while the role was being added");
    }
}
