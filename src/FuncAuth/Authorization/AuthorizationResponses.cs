using System.Text;
using System.Text.RegularExpressions;
using FuncAuth.Http;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using static FuncAuth.Authorization.AuthorizationRequestReader;
using static FuncAuth.Pages.PageLayout;

namespace FuncAuth.Authorization;

/// <summary>
/// The authorization endpoint's answers: to the client's redirect URI (a redirect with the parameters in the query, or
/// the form_post page), to the sign-in page, or the error page when there is nowhere safe to send anything.
/// </summary>
internal static partial class AuthorizationResponses
{
    public const string ErrorHeading = "This sign-in request cannot be used";

    /// <summary>
    /// Sends <paramref name="parameters"/> (a code, or an error) to the target, with its <c>state</c> unchanged and
    /// <c>iss</c> (RFC 9207: the client checks it came from the issuer it asked, against mix-up attacks).
    /// </summary>
    public static Results<HtmlPage, RedirectHttpResult> ToClient(
        HttpRequest http, string productName, string issuer, AuthorizationTarget target, params (string Name, string Value)[] parameters)
    {
        var all = parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)).ToList();
        if (target.State is not null)
        {
            all.Add(new("state", target.State));
        }

        all.Add(new("iss", issuer));
        if (target.Mode == ResponseMode.Query)
        {
            return TypedResults.Redirect(QueryHelpers.AddQueryString(target.RedirectUri, all));
        }

        var body = new StringBuilder()
            .Append(Paragraph("Returning you to the application…"))
            .Append("<form method=\"post\" action=\"").Append(Encode(target.RedirectUri)).Append("\" data-funcauth-autosubmit>\n");
        foreach (var (name, value) in all)
        {
            body.Append("<input type=\"hidden\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(value)).Append("\">\n");
        }

        body.Append(FormEnd("Continue"));
        return Render(http, productName, "Returning to the application", body.ToString()).WithFormAction(FormActionSource(target.RedirectUri));
    }

    /// <summary>
    /// The sign-in page, carrying the authorization request's query unchanged: after signing in, the page sends the
    /// browser back here with it.
    /// </summary>
    public static RedirectHttpResult ToSignIn(HttpRequest http) =>
        TypedResults.Redirect($"{http.PathBase}/{FuncAuthRoutes.LoginPage}{http.QueryString}");

    /// <summary>
    /// The error page (400): the client or its redirect URI is unknown, so an error cannot be sent back. Never a
    /// redirect: an open redirector would hand a code, or a trusted-looking error, to whoever wrote the link.
    /// </summary>
    public static HtmlPage ErrorPage(HttpRequest http, string productName, TargetRefusal refusal) =>
        Render(http, productName, ErrorHeading, Alert("authorize-error", refusal switch
        {
            TargetRefusal.MissingClient => "The request does not say which application it comes from (client_id is missing or repeated).",
            TargetRefusal.UnknownClient => "The application that sent you here is not registered with this service.",
            TargetRefusal.MissingRedirectUri => "The request does not say where to return you (redirect_uri is missing or repeated).",
            _ => "The address the request would return you to is not registered for this application.",
        }) + Paragraph("Nothing was sent back to the application. If you followed a link, go back and try again from the application itself."))
        .WithStatus(StatusCodes.Status400BadRequest);

    /// <summary>
    /// The CSP source the form_post page's form may post to: the redirect URI's origin (https or loopback http), or its
    /// private-use scheme. A registered URI is already plain ASCII; anything that would not make a clean source posts nowhere.
    /// </summary>
    internal static string FormActionSource(string redirectUri)
    {
        var source = Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
            ? uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":"
            : string.Empty;
        return CleanSource().IsMatch(source) ? source : "'none'";
    }

    [GeneratedRegex(@"^[a-z][a-z0-9+.\-]*:(//[A-Za-z0-9.\-\[\]:]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CleanSource();
}
