using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace FuncAuth.Pages;

/// <summary>
/// The frame every FuncAuth page shares (the confirm-email and reset-password pages, and any page added later): one
/// document in English with a <c>&lt;main&gt;</c> and one <c>&lt;h1&gt;</c>, the pages' stylesheet and script, nothing
/// inline. Every dynamic value goes through <see cref="Encode"/>; fixed markup is written as it is.
/// </summary>
internal static class PageLayout
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>Text or an attribute value made safe for HTML (every character that could end it is encoded).</summary>
    public static string Encode(string? value) => Encoder.Encode(value ?? string.Empty);

    /// <summary>A whole page: <paramref name="heading"/> (text, encoded here) and <paramref name="body"/> (markup already built safely).</summary>
    public static HtmlPage Render(HttpRequest request, string productName, string heading, string body)
    {
        var html = new StringBuilder(2048)
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n")
            .Append("<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(Encode(heading)).Append(" · ").Append(Encode(productName)).Append("</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(Encode(PageAsset.Stylesheet.PathFor(request))).Append("\">\n")
            .Append("<script src=\"").Append(Encode(PageAsset.Script.PathFor(request))).Append("\" defer></script>\n")
            .Append("</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(Encode(heading)).Append("</h1>\n")
            .Append(body)
            .Append("</main>\n</body>\n</html>\n");
        return new HtmlPage(html.ToString());
    }

    /// <summary>A paragraph of text.</summary>
    public static string Paragraph(string text, string? cssClass = null) =>
        cssClass is null ? $"<p>{Encode(text)}</p>\n" : $"<p class=\"{Encode(cssClass)}\">{Encode(text)}</p>\n";

    /// <summary>
    /// An error, announced as soon as the page shows it (<c>role="alert"</c>); <paramref name="id"/> is what the field in
    /// error names in its <c>aria-describedby</c>, so a screen reader reads the error with the field.
    /// </summary>
    public static string Alert(string id, string text) =>
        $"<p class=\"alert\" role=\"alert\" id=\"{Encode(id)}\">{Encode(text)}</p>\n";

    /// <summary>
    /// An input with its label. <paramref name="errorId"/>, when the field is in error, marks it invalid and describes it
    /// with the alert; <paramref name="hintId"/> describes it with a hint below it.
    /// </summary>
    public static string Field(
        string id, string name, string type, string label, string autocomplete, bool required,
        string? errorId = null, string? hint = null, string? hintId = null, string? wrapperAttributes = null, string? value = null,
        bool autofocus = false, string? inputAttributes = null)
    {
        var describedBy = string.Join(' ', new[] { errorId, hint is null ? null : hintId }.Where(v => v is not null));
        var html = new StringBuilder()
            .Append("<div class=\"field\"").Append(wrapperAttributes is null ? string.Empty : " " + wrapperAttributes).Append(">\n")
            .Append("<label for=\"").Append(Encode(id)).Append("\">").Append(Encode(label)).Append("</label>\n")
            .Append("<input type=\"").Append(Encode(type)).Append("\" id=\"").Append(Encode(id)).Append("\" name=\"").Append(Encode(name))
            .Append("\" autocomplete=\"").Append(Encode(autocomplete)).Append('"');
        if (type == "text")
        {
            html.Append(" spellcheck=\"false\" autocapitalize=\"off\"");
        }

        if (value is not null)
        {
            html.Append(" value=\"").Append(Encode(value)).Append('"');
        }

        // Fixed markup of the caller's (inputmode, pattern, maxlength), never request text.
        if (inputAttributes is not null)
        {
            html.Append(' ').Append(inputAttributes);
        }

        if (required)
        {
            html.Append(" required");
        }

        // Focus without a script: the field in error, or the first one of a fresh form.
        if (autofocus)
        {
            html.Append(" autofocus");
        }

        if (errorId is not null)
        {
            html.Append(" aria-invalid=\"true\"");
        }

        if (describedBy.Length > 0)
        {
            html.Append(" aria-describedby=\"").Append(Encode(describedBy)).Append('"');
        }

        html.Append(">\n");
        if (hint is not null)
        {
            html.Append("<p class=\"hint\" id=\"").Append(Encode(hintId)).Append("\">").Append(Encode(hint)).Append("</p>\n");
        }

        return html.Append("</div>\n").ToString();
    }

    /// <summary>A hidden input the page's script fills from the link's fragment (<c>data-funcauth-token</c>).</summary>
    public static string HiddenToken(string name, string? value) =>
        $"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\" data-funcauth-token>\n";

    public static string FormStart(HttpRequest request, string route, string? attributes = null) =>
        attributes is null
            ? $"<form method=\"post\" action=\"{Encode($"{request.PathBase}/{route}")}\">\n"
            : $"<form method=\"post\" action=\"{Encode($"{request.PathBase}/{route}")}\" {attributes}>\n";

    public static string FormEnd(string buttonText) =>
        $"<button type=\"submit\">{Encode(buttonText)}</button>\n</form>\n";
}
