using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Pages;

/// <summary>
/// What the pages' forms post: the confirmation or the reset itself, answered with a page.
/// </summary>
/// <remarks>
/// No anti-forgery token: the token of the link is the capability. A cross-site form can only post a token its author
/// already holds, and whoever holds one can spend it directly anyway; there is no cookie or session here for a forged
/// request to ride on, and a forged reset could only set a password the forger chose on an account whose link the forger
/// already had. A browser's cross-site POST is still refused (<c>Sec-Fetch-Site: cross-site</c>, sent by every current
/// browser): nothing legitimate posts these forms from another site, so a page elsewhere cannot make a visitor's browser
/// try tokens on its behalf. A request without the header (an older browser, a script) is judged on its token alone.
/// </remarks>
internal sealed class PageSubmissions(
    EmailConfirmation confirmations, PasswordReset resets, IOptions<EmailOptions> email, ILogger<PageSubmissions> logger)
{
    private readonly string _productName = email.Value.ProductName;

    /// <summary><c>POST auth/confirm-email</c> (form): confirms, or shows the form again with the error.</summary>
    public async ValueTask<Results<HtmlPage, ProblemHttpResult>> ConfirmEmailAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (RefuseCrossSite(request) is { } refused)
        {
            return refused;
        }

        if (PageForm.Read(request.Body) is not { } form)
        {
            return ConfirmEmailPage.Form(request.Http, _productName, error: ConfirmEmailPage.Unreadable);
        }

        if (form.Token is not { } token)
        {
            return ConfirmEmailPage.Form(request.Http, _productName, error: ConfirmEmailPage.MissingToken);
        }

        return await confirmations.ConfirmAsync(token, cancellationToken) switch
        {
            ConfirmEmailResult.Confirmed => ConfirmEmailPage.Done(request.Http, _productName),
            ConfirmEmailResult.AddressTaken => ConfirmEmailPage.Taken(request.Http, _productName),
            _ => ConfirmEmailPage.Form(request.Http, _productName, error: ConfirmEmailPage.InvalidToken),
        };
    }

    /// <summary><c>POST auth/reset-password</c> (form): sets the password, or shows the form again with the error.</summary>
    public async ValueTask<Results<HtmlPage, ProblemHttpResult>> ResetPasswordAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (RefuseCrossSite(request) is { } refused)
        {
            return refused;
        }

        if (PageForm.Read(request.Body) is not { } form)
        {
            return ResetPasswordPage.Form(request.Http, _productName, error: ResetPasswordPage.Unreadable);
        }

        var token = form.Token;
        var newPassword = form[PageForm.NewPasswordField] ?? string.Empty;

        // Checked here, before the token is looked at: a typo costs nothing and the person keeps the link's token.
        if (!string.Equals(newPassword, form[PageForm.ConfirmPasswordField], StringComparison.Ordinal))
        {
            return ResetPasswordPage.Form(request.Http, _productName, token, ResetPasswordPage.Mismatch, ResetPasswordPage.ErrorField.ConfirmPassword);
        }

        if (token is null)
        {
            return ResetPasswordPage.Form(request.Http, _productName, error: ResetPasswordPage.MissingToken);
        }

        var result = await resets.ResetAsync(token, newPassword, cancellationToken);
        if (result.Done)
        {
            return ResetPasswordPage.Done(request.Http, _productName);
        }

        // A refused password does not spend the token (PasswordReset checks the rules first): the form keeps it.
        return result.PasswordRefusal is { } refusal && !result.InvalidToken
            ? ResetPasswordPage.Form(request.Http, _productName, token, refusal, ResetPasswordPage.ErrorField.NewPassword)
            : ResetPasswordPage.Form(request.Http, _productName, error: ResetPasswordPage.InvalidToken);
    }

    private ProblemHttpResult? RefuseCrossSite(EndpointRequest request)
    {
        if (!string.Equals(request.Http.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        SecurityEvents.CrossSitePageSubmissionRefused(logger, request.Http.Path.Value ?? string.Empty);
        return Problems.Forbidden("This form can only be sent from its own page.");
    }
}
