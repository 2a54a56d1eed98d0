namespace FuncAuth.Http;

/// <summary>
/// The HTTP routes of FuncAuth, spelled in full. Both hosts (Azure Functions and Kestrel) use these
/// constants so their routes cannot drift; they are <c>const</c> so they can appear in attributes.
/// </summary>
public static class FuncAuthRoutes
{
    public const string Register = "api/auth/register";
    public const string Login = "api/auth/login";
    public const string Verify = "api/auth/verify";
    public const string Logout = "api/auth/logout";
    public const string Health = "api/health";
}
