using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;

namespace FuncAuth.Pages;

/// <summary>The markup of <c>auth/confirm-email</c>: the form, and what a confirmation ends in.</summary>
internal static class ConfirmEmailPage
{
    public const string Heading = "Confirm your email address";

    public const string InvalidToken =
        "This link cannot be used: it has expired, it was already used, or it is incomplete. Ask for a new confirmation email.";

    public const string MissingToken = "The code from the link is missing: open the link from the email again.";

    public const string Unreadable = "The form could not be read. Please try again.";

    public const string Confirmed = "Your email address is confirmed.";

    public const string AddressTaken =
        "Another account now uses this address, so it could not become yours. Your account keeps its current address.";

    /// <summary>The form, with <paramref name="error"/> (about the token) announced when there is one.</summary>
    public static HtmlPage Form(HttpRequest request, string productName, string? token = null, string? error = null) =>
        Render(
            request,
            productName,
            Heading,
            (error is null ? string.Empty : Alert(TokenFields.ErrorId, error))
            + Paragraph("Press the button to confirm that this address is yours. Opening the link did not confirm anything by itself.")
            + FormStart(request, FuncAuthRoutes.ConfirmEmailPage)
            + TokenFields.Render(token, inError: error is not null)
            + FormEnd("Confirm my address"));

    public static HtmlPage Done(HttpRequest request, string productName) =>
        Render(request, productName, "Email address confirmed", Paragraph(Confirmed, "success") + Paragraph("You can close this page."));

    public static HtmlPage Taken(HttpRequest request, string productName) =>
        Render(request, productName, "Address not changed", Alert("address-taken", AddressTaken));
}
