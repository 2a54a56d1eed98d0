using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;

namespace FuncAuth.SingleSignOn;

/// <summary>Markup shared by the single-sign-on pages: hidden fields, links, and the refusal and error pages.</summary>
internal static class SignInPageMarkup
{
    public const string AuthorizeField = "authorize";

    public const string Forged =
        "This form could not be accepted: it was not sent from its own page, or it has expired. Go back, reload the page and try again.";

    public const string Unreadable = "The form could not be read. Please try again.";

    public static string Hidden(string name, string? value) =>
        $"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\">\n";

    public static string Link(string href, string text) => $"<p><a href=\"{Encode(href)}\">{Encode(text)}</a></p>\n";

    /// <summary>The anti-forgery field and the carried authorization request, first in every form.</summary>
    public static string FormFields(string csrf, string authorize) =>
        Hidden(PageCsrf.FieldName, csrf) + (authorize.Length == 0 ? string.Empty : Hidden(AuthorizeField, authorize));

    /// <summary>403: a POST without the page's anti-forgery token, or a browser's cross-site POST. Nothing was checked.</summary>
    public static HtmlPage Refused(HttpRequest request, string productName) =>
        Render(request, productName, "Form not accepted", Alert("form-refused", Forged)).WithStatus(StatusCodes.Status403Forbidden);

    /// <summary>An error page (never a redirect): 400 for a request that cannot be followed, 404 for a page that is off.</summary>
    public static HtmlPage Error(HttpRequest request, string productName, string heading, string message, int status) =>
        Render(request, productName, heading, Alert("page-error", message)).WithStatus(status);
}
