using System.Diagnostics;
using System.Security.Cryptography;

namespace FuncAuth.LoadRunner;

/// <summary>The raw rate of the login's floor: PBKDF2-HMAC-SHA256 at FuncAuth's cost, in this process.</summary>
internal static class Pbkdf2
{
    /// <summary>Hashes per second on <paramref name="threads"/> threads, each hashing for <paramref name="duration"/>.</summary>
    public static async Task<double> MeasureAsync(int threads, TimeSpan duration)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        _ = Rfc2898DeriveBytes.Pbkdf2("warm up", salt, 1000, HashAlgorithmName.SHA256, 32);
        var workers = Enumerable.Range(0, threads).Select(worker => Task.Factory.StartNew(
            () =>
            {
                var elapsed = Stopwatch.StartNew();
                var hashes = 0;
                while (elapsed.Elapsed < duration)
                {
                    _ = Rfc2898DeriveBytes.Pbkdf2(Apps.Password, salt, Settings.PasswordIterations, HashAlgorithmName.SHA256, 32);
                    hashes++;
                }

                // Up to the end of the last hash, so a hash that overran the duration is neither lost nor free.
                return hashes / elapsed.Elapsed.TotalSeconds;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        var rates = await Task.WhenAll(workers);
        return rates.Sum();
    }
}
