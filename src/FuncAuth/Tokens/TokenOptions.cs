namespace FuncAuth.Tokens;

/// <summary>How access tokens are issued and validated: <c>FuncAuth:Tokens</c>.</summary>
public sealed class TokenOptions
{
    public const string SectionName = "FuncAuth:Tokens";

    public string Issuer { get; set; } = "funcauth";

    public string Audience { get; set; } = "funcauth";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Tolerance for clocks that disagree, applied to <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The HS256 key, base64, at least 256 bits. Required outside Development.</summary>
    public string? SigningKey { get; set; }
}
