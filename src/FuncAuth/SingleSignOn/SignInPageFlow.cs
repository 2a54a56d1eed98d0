using FuncAuth.Accounts;
using FuncAuth.Authorization;
using FuncAuth.Clients;
using FuncAuth.Email;
using FuncAuth.Email.Delivery;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Pages;
using FuncAuth.Passkeys;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// What every way through the hosted sign-in shares (the password form, its second step, the passkey button, the account
/// page's forms): the checks a posted form must pass first, the sign-in form shown again with one message, and the one
/// way a sign-in ends — the browser session bound to the cookie, then back to the authorization request (or the signed-in
/// page). One place, so no way in can end differently from the others.
/// </summary>
internal sealed class SignInPageFlow(
    PageCsrf csrf,
    ClientRegistry clients,
    BrowserSessions browsers,
    AccountService accounts,
    EmailDelivery mail,
    PasskeyRelyingParty relyingParty,
    IOptions<EmailOptions> email,
    ILogger<SignInPageFlow> logger)
{
    /// <summary>Whether this deployment has passkeys (a relying party id configured or derived from an https issuer).</summary>
    public bool PasskeysOn => relyingParty.IsConfigured;

    public string ProductName { get; } = email.Value.ProductName;

    /// <summary>The anti-forgery field's value for a form about to be shown (sets the cookie when needed).</summary>
    public string IssueCsrf(HttpRequest http) => csrf.Issue(http);

    private LoginPage.Links Links => new(accounts.RegistrationEnabled, mail.IsConfigured, relyingParty.IsConfigured);

    /// <summary>
    /// A posted form, once it passed the checks every form of these pages has: not cross-site, readable, carrying a valid
    /// anti-forgery token, and an <c>authorize</c> field (if any) that is a plain query string. Else the page to answer.
    /// </summary>
    public (PageForm? Form, string? Authorize, HtmlPage? Refused) ReadForm(EndpointRequest request)
    {
        var path = request.Http.Path.Value ?? string.Empty;
        if (string.Equals(request.Http.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            SecurityEvents.CrossSitePageSubmissionRefused(logger, path);
            return (null, null, SignInPageMarkup.Refused(request.Http, ProductName));
        }

        // The token first: a form without it is not looked at (no password or code is checked, nothing is counted).
        var form = PageForm.Read(request.Body);
        if (form is null || !csrf.Verify(request.Http, form[PageCsrf.FieldName]))
        {
            SecurityEvents.PageFormForgeryRefused(logger, path);
            return (null, null, SignInPageMarkup.Refused(request.Http, ProductName));
        }

        return CarriedQuery(form[SignInPageMarkup.AuthorizeField]) is { } authorize
            ? (form, authorize, null)
            : (null, null, BadQuery(request.Http));
    }

    /// <summary>The carried authorization request, normalized; null (and logged) when it is not a plain query string.</summary>
    public string? CarriedQuery(string? raw)
    {
        var normalized = AuthorizeQuery.Normalize(raw);
        if (normalized is null)
        {
            SecurityEvents.AuthorizeQueryRefused(logger);
        }

        return normalized;
    }

    public HtmlPage BadQuery(HttpRequest http) =>
        SignInPageMarkup.Error(http, ProductName, "Request not understood", "This address is not one a sign-in can come back to.", Status400BadRequest);

    /// <summary>
    /// The sign-in form, with <paramref name="message"/> announced when given. With passkeys on, its button's script fetches
    /// the options from this origin: that page alone is allowed to (<c>connect-src 'self'</c>).
    /// </summary>
    public HtmlPage LoginForm(HttpRequest http, string authorize, string? username = null, string? message = null)
    {
        var page = AllowingWayBack(LoginPage.Form(http, ProductName, csrf.Issue(http), authorize, Links, username, message), authorize);
        return relyingParty.IsConfigured ? page.Allowing(HtmlPage.SameOriginFetch) : page;
    }

    /// <summary>
    /// A sign-in page, allowed to lead back to the client. Browsers apply a page's <c>form-action</c> to every redirect
    /// its form's POST leads to, so the way back (303 to authorize, then to the client's redirect URI) must be in the
    /// policy: the redirect URI's origin is added only when it is registered for the client the query names.
    /// </summary>
    public HtmlPage AllowingWayBack(HtmlPage page, string authorize)
    {
        var clientId = AuthorizeQuery.Parameter(authorize, "client_id");
        var redirect = AuthorizeQuery.Parameter(authorize, "redirect_uri");
        return clients.Find(clientId) is { } client && redirect is not null && client.AllowsRedirectUri(redirect)
            ? page.WithFormAction("'self' " + AuthorizationResponses.FormActionSource(redirect))
            : page;
    }

    /// <summary>
    /// The end of every successful sign-in on the pages: the browser bound to its new session (ending the one its cookie
    /// named before), then 303 to <c>api/auth/authorize</c> with the carried query, or the signed-in page when there is none.
    /// </summary>
    public async Task<Results<HtmlPage, SeeOther>> SignedInAsync(HttpRequest http, SignIn signIn, string authorize, CancellationToken cancellationToken)
    {
        await browsers.RebindAsync(http, signIn, cancellationToken);
        SecurityEvents.BrowserSignedIn(logger, signIn.Session.UserId, signIn.Session.Id);
        return authorize.Length == 0
            ? LoginPage.SignedIn(http, ProductName, signIn.Session.Username)
            : new SeeOther(AuthorizeQuery.AuthorizeUrl(http, authorize));
    }
}
