using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email;

/// <summary>
/// The links messages carry: the configured page (or FuncAuth's own, under <see cref="EmailOptions.PublicBaseUrl"/> or
/// else the issuer) with the token in the fragment (<c>#token=…</c>). Browsers never send a fragment to a server, so the
/// token reaches no request log, proxy or telemetry on the way to the page, which reads it and posts it in a body.
/// </summary>
internal sealed class EmailLinks(IOptions<EmailOptions> email, IOptions<TokenOptions> tokens)
{
    public string ConfirmEmail(string token) => With(email.Value.ConfirmEmailUrl ?? Page(Http.FuncAuthRoutes.ConfirmEmailPage), token);

    public string ResetPassword(string token) => With(email.Value.ResetPasswordUrl ?? Page(Http.FuncAuthRoutes.ResetPasswordPage), token);

    /// <summary>Where FuncAuth's own pages are, or null when neither a public base URL nor an http(s) issuer says so.</summary>
    public Uri? BaseUrl =>
        email.Value.PublicBaseUrl ?? (Uri.TryCreate(tokens.Value.Issuer, UriKind.Absolute, out var issuer) && issuer.Scheme is "https" or "http" ? issuer : null);

    private Uri Page(string route) =>
        BaseUrl is { } root
            ? new Uri(new Uri(root.AbsoluteUri.EndsWith('/') ? root.AbsoluteUri : root.AbsoluteUri + "/"), route)
            : throw new InvalidOperationException("No page URL: set FuncAuth:Email:PublicBaseUrl (or the page URLs).");

    private static string With(Uri page, string token) => page.AbsoluteUri + "#token=" + token;
}
