namespace FuncAuth.Accounts;

/// <summary>Self-registration: <c>FuncAuth:Registration</c>.</summary>
public sealed class RegistrationOptions
{
    public const string SectionName = "FuncAuth:Registration";

    public bool Enabled { get; set; } = true;
}
