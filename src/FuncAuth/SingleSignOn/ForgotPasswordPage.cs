using FuncAuth.Http;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;
using static FuncAuth.SingleSignOn.SignInPageMarkup;

namespace FuncAuth.SingleSignOn;

/// <summary>The markup of <c>auth/forgot-password</c>: an address in, the same answer whatever it is.</summary>
internal static class ForgotPasswordPage
{
    public const string Heading = "Forgot your password?";

    public const string Sent =
        "If an account has this address, we sent it a link to choose a new password. It may take a few minutes to arrive.";

    public static HtmlPage Form(HttpRequest request, string productName, string csrf, string authorize, string? email = null, string? error = null) =>
        Render(
            request,
            productName,
            Heading,
            (error is null ? string.Empty : Alert("forgot-error", error))
            + Paragraph("Enter the email address of your account: we will send you a link to choose a new password.")
            + FormStart(request, FuncAuthRoutes.ForgotPasswordPage)
            + FormFields(csrf, authorize)
            + Field("email", RegisterPage.EmailField, "email", "Email address", "email", required: true,
                errorId: error is null ? null : "forgot-error", value: email, autofocus: true)
            + FormEnd("Send me a link")
            + Link(AuthorizeQuery.PageUrl(request, FuncAuthRoutes.LoginPage, authorize), "Back to sign in"));

    public static HtmlPage Done(HttpRequest request, string productName, string authorize) =>
        Render(
            request,
            productName,
            "Check your email",
            Paragraph(Sent, "success") + Link(AuthorizeQuery.PageUrl(request, FuncAuthRoutes.LoginPage, authorize), "Back to sign in"));
}
