namespace FuncAuth.Revocation;

/// <summary>Upkeep of the revocation list: <c>FuncAuth:Revocation</c>.</summary>
public sealed class RevocationOptions
{
    public const string SectionName = "FuncAuth:Revocation";

    /// <summary>How often entries of tokens that have expired anyway are removed.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}
