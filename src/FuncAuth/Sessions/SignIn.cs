using FuncAuth.Tokens;

namespace FuncAuth.Sessions;

/// <summary>A session's tokens, ready for the wire.</summary>
internal sealed record SignIn(IssuedToken AccessToken, string RefreshToken, Session Session);
