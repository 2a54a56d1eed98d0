using FuncAuth.Http;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;
using static FuncAuth.SingleSignOn.SignInPageMarkup;

namespace FuncAuth.SingleSignOn;

/// <summary>The markup of <c>api/auth/end-session</c>: the confirmation form, and the signed-out page.</summary>
internal static class SignOutPage
{
    public const string ConfirmHeading = "Sign out?";

    public const string SignedOutHeading = "Signed out";

    /// <summary>Asked when no valid ID token of the browser's session came with the request: only the user can sign out.</summary>
    public static HtmlPage Confirm(HttpRequest request, string productName, string csrf, string? clientId, string? postLogoutRedirectUri, string? state) =>
        Render(
            request,
            productName,
            ConfirmHeading,
            Paragraph($"Do you want to sign out of {productName}? You will be signed out of every application you signed in to with it in this browser.")
            + FormStart(request, FuncAuthRoutes.EndSession)
            + Hidden(PageCsrf.FieldName, csrf)
            + Optional(SignOutEndpoints.ClientIdParameter, clientId)
            + Optional(SignOutEndpoints.RedirectParameter, postLogoutRedirectUri)
            + Optional(SignOutEndpoints.StateParameter, state)
            + FormEnd("Sign out"));

    public static HtmlPage SignedOut(HttpRequest request, string productName) =>
        Render(request, productName, SignedOutHeading, Paragraph("You are signed out.", "success") + Paragraph("You can close this page."));

    private static string Optional(string name, string? value) => string.IsNullOrEmpty(value) ? string.Empty : Hidden(name, value);
}
