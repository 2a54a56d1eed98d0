namespace FuncAuth.Accounts;

/// <summary>Password rules and hashing cost: <c>FuncAuth:Passwords</c>.</summary>
public sealed class PasswordOptions
{
    public const string SectionName = "FuncAuth:Passwords";

    /// <summary>OWASP's recommendation for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet).</summary>
    public const int RecommendedIterations = 600_000;

    /// <summary>PBKDF2 iterations for new hashes; stored hashes below it are upgraded at the next login.</summary>
    public int Iterations { get; set; } = RecommendedIterations;

    /// <summary>The fewest characters (after Unicode NFKC normalisation) a new password may have; NIST SP 800-63B's floor is 8.</summary>
    public int MinimumLength { get; set; } = 8;
}
