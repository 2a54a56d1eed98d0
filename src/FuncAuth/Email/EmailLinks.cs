using FuncAuth.Tokens;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email;

/// <summary>
/// The links messages carry: the configured page (or FuncAuth's own, under <see cref="EmailOptions.PublicBaseUrl"/> or
/// else the issuer) with the token in the fragment (<c>#token=…</c>). Browsers never send a fragment to a server, so the
/// token reaches no request log, proxy or telemetry on the way to the page, which reads it and posts it in a body.
/// </summary>
internal sealed class EmailLinks(IOptions<EmailOptions> email, IOptions<TokenOptions> tokens, IHostEnvironment environment)
{
    /// <summary>Where both hosts listen when run locally (the Kestrel host's default, and Core Tools').</summary>
    private static readonly Uri DevelopmentBaseUrl = new("http://localhost:7071/");

    public string ConfirmEmail(string token) => With(email.Value.ConfirmEmailUrl ?? Page(Http.FuncAuthRoutes.ConfirmEmailPage), token);

    public string ResetPassword(string token) => With(email.Value.ResetPasswordUrl ?? Page(Http.FuncAuthRoutes.ResetPasswordPage), token);

    /// <summary>
    /// Where FuncAuth's own pages are: the public base URL, else an http(s) issuer, else (Development only) the local
    /// host's address; null when none says so, which start-up refuses when a page URL would be needed.
    /// </summary>
    public Uri? BaseUrl => BaseOf(email.Value, tokens.Value, environment.IsDevelopment());

    /// <summary>Whether every link can be made with these settings (checked at start-up when mail is configured).</summary>
    public static bool CanLink(EmailOptions email, TokenOptions tokens, bool development) =>
        BaseOf(email, tokens, development) is not null || (email.ConfirmEmailUrl is not null && email.ResetPasswordUrl is not null);

    private static Uri? BaseOf(EmailOptions email, TokenOptions tokens, bool development) =>
        email.PublicBaseUrl
        ?? (Uri.TryCreate(tokens.Issuer, UriKind.Absolute, out var issuer) && issuer.Scheme is "https" or "http" ? issuer : null)
        ?? (development ? DevelopmentBaseUrl : null);

    private Uri Page(string route) =>
        BaseUrl is { } root
            ? new Uri(new Uri(root.AbsoluteUri.EndsWith('/') ? root.AbsoluteUri : root.AbsoluteUri + "/"), route)
            : throw new InvalidOperationException("No page URL: set FuncAuth:Email:PublicBaseUrl (or the page URLs).");

    private static string With(Uri page, string token) => page.AbsoluteUri + "#token=" + token;
}
