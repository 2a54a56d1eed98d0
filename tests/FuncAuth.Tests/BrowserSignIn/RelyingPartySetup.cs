using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.BrowserSignIn;

/// <summary>
/// The README's "Sign in with FuncAuth" lines for an ASP.NET Core app, exactly: the block between the
/// <c>readme:openidconnect</c> marks is held equal to the README's snippet by <see cref="SignInReadmeSnippetTests"/>, and
/// every relying-party app of the browser tests is set up by it (<see cref="RelyingPartyApp"/> then changes only the
/// address, the client and its cookie names).
/// </summary>
internal static class RelyingPartySetup
{
    public static void AddSignInWithFuncAuth(WebApplicationBuilder builder)
    {
        // <readme:openidconnect>
        var funcAuth = "http://localhost:7071";   // FuncAuth's base URL = its FuncAuth:Tokens:Issuer
        builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
        })
        .AddCookie()
        .AddOpenIdConnect(options =>
        {
            options.Authority = funcAuth;
            options.RequireHttpsMetadata = false;            // local FuncAuth over plain http only: delete this line for https
            options.ClientId = "my-web-app";                 // = FuncAuth:Clients:N:ClientId
            options.ClientSecret = builder.Configuration["FuncAuth:ClientSecret"];   // a confidential client; null: public
            options.ResponseType = "code";                   // authorization code flow; PKCE (S256) is on by default
            options.ResponseMode = "query";
            options.Scope.Add("email");                      // "openid" and "profile" are asked for by default
            options.SaveTokens = true;                       // keeps the ID token for sign-out (end-session)
            options.GetClaimsFromUserInfoEndpoint = true;
            options.MapInboundClaims = false;                // "sub", "preferred_username", "email" as FuncAuth names them
            options.ClaimActions.MapUniqueJsonKey("preferred_username", "preferred_username");
            options.TokenValidationParameters.NameClaimType = "preferred_username";
        });
        // </readme:openidconnect>
    }
}
