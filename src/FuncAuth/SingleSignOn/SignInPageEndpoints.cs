using System.ComponentModel;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Authorization;
using FuncAuth.Clients;
using FuncAuth.Email;
using FuncAuth.Email.Delivery;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Pages;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// The hosted sign-in, registration and forgot-password pages. Server-rendered, one stylesheet, no script needed. Every
/// form carries a signed double-submit anti-forgery token (<see cref="PageCsrf"/>), and a browser's cross-site POST
/// (<c>Sec-Fetch-Site: cross-site</c>) is refused before the form is read. The authorization request that sent the user
/// here travels in the hidden field <c>authorize</c> (<see cref="AuthorizeQuery"/>); a successful sign-in starts a browser
/// session, sets its cookie (<see cref="BrowserSessions"/>) and goes back to <c>api/auth/authorize</c> with it.
/// </summary>
internal sealed class SignInPageEndpoints(
    PasswordSignIn signIns,
    AccountService accounts,
    PasswordReset resets,
    EmailDelivery mail,
    SignInPageFlow flow,
    ILogger<SignInPageEndpoints> logger)
{

    internal const string FormsNote = " The form carries a signed double-submit anti-forgery token (cookie and hidden field `csrf`); " +
        "a POST without it, with a wrong one or sent cross-site (Sec-Fetch-Site) is refused with a 403 page and nothing is checked.";

    private readonly string _productName = flow.ProductName;

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.LoginPage, FuncAuthRoutes.LoginPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.LoginPageAsync(request, ct)) with
        {
            Summary = "The sign-in page",
            Describe = builder => HtmlErrors(builder, Status400BadRequest),
            Description = "An HTML sign-in form (inputs `username` and `password`). The authorization request's query string, " +
                "when api/auth/authorize sent the user here, is carried in the hidden field `authorize`; `login_hint` fills in the username.",
            UsesStorage = false,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.LoginPageSubmit, FuncAuthRoutes.LoginPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.LoginAsync(request, ct)) with
        {
            Summary = "Sign in from the page",
            Describe = builder => HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
            Description = "Checks the password as api/auth/login does (the same lockout, throttle and one failure message), starts " +
                "a browser session and sets its cookie (HttpOnly, Secure, SameSite=Lax), then 303 to api/auth/authorize with the " +
                "carried query (without `prompt` and `max_age`), or a signed-in page (linking to auth/account) when there is none. " +
                "For an account with TOTP on, the right password answers the second step instead: a page whose form posts a " +
                "code (or a recovery code) with a single-use `mfa_token` to auth/login/mfa." + FormsNote,
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            BodySchema = typeof(LoginPageForm),
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.RegisterPage, FuncAuthRoutes.RegisterPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.RegisterPageAsync(request, ct)) with
        {
            Summary = "The registration page",
            Describe = builder => HtmlErrors(builder, Status400BadRequest, Status404NotFound),
            Description = "An HTML form to create an account (as api/auth/register); a 404 page while self-registration is disabled.",
            UsesStorage = false,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.RegisterPageSubmit, FuncAuthRoutes.RegisterPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.RegisterAsync(request, ct)) with
        {
            Summary = "Register from the page",
            Describe = builder => HtmlErrors(builder, Status400BadRequest, Status403Forbidden, Status404NotFound),
            Description = "Creates the account as api/auth/register does and answers a page with a link to sign in (carrying the " +
                "authorization request); otherwise the form again with the error announced." + FormsNote,
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            BodySchema = typeof(RegisterPageForm),
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ForgotPasswordPage, FuncAuthRoutes.ForgotPasswordPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.ForgotPageAsync(request, ct)) with
        {
            Summary = "The forgot-password page",
            Describe = builder => HtmlErrors(builder, Status400BadRequest, Status404NotFound),
            Description = "An HTML form asking for the account's email address; a 404 page when email is not configured.",
            UsesStorage = false,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ForgotPasswordPageSubmit, FuncAuthRoutes.ForgotPasswordPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.ForgotAsync(request, ct)) with
        {
            Summary = "Ask for a reset link from the page",
            Describe = builder => HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
            Description = "As api/auth/password/forgot: the same page whatever the address (no account enumeration)." + FormsNote,
            Throttle = Throttle.TokenRequests,
            Body = BodyKind.Form,
            BodySchema = typeof(ForgotPasswordPageForm),
            SendsMail = true,
            Problems = [Status404NotFound],
        },
    ];

    /// <summary>The statuses of the error pages (HTML, not problem+json: a person reads them) an endpoint can answer.</summary>
    internal static void HtmlErrors(RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<string>(status, HtmlPage.MediaType);
        }
    }

    /// <summary><c>GET auth/login</c>: the form, carrying the authorization request of the query string.</summary>
    private ValueTask<HtmlPage> LoginPageAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (CarriedQuery(request.Http.QueryString.Value) is not { } authorize)
        {
            return ValueTask.FromResult(BadQuery(request.Http));
        }

        var hint = AuthorizeQuery.Parameter(authorize, "login_hint");
        return ValueTask.FromResult(flow.LoginForm(request.Http, authorize, hint));
    }

    /// <summary><c>POST auth/login</c> (form): signs in, binds the browser session's cookie, and goes back to the authorization.</summary>
    private async ValueTask<Results<HtmlPage, SeeOther>> LoginAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (form, authorize, refused) = ReadForm(request);
        if (refused is not null)
        {
            return refused;
        }

        var username = form![LoginPage.UsernameField];
        var (credentials, _) = Credentials.Check(username, form[LoginPage.PasswordField]);
        if (credentials is null)
        {
            // A name or password that cannot be one (empty, too long): the one failure message, as for a wrong password.
            SecurityEvents.LoginFailed(logger);
            return LoginFailed(request.Http, authorize!, username, Problems.LoginFailureDetail);
        }

        var result = await signIns.SignInAsync(credentials.Username, credentials.Password, SessionKind.Browser, cancellationToken);
        if (result.Outcome == SignInOutcome.MfaRequired && result.MfaToken is { } mfaToken)
        {
            // The right password for an account with TOTP on: no session yet, the second step's form instead.
            return flow.AllowingWayBack(SecondFactorPage.Form(request.Http, _productName, flow.IssueCsrf(request.Http), authorize!, mfaToken), authorize!);
        }

        if (result.SignIn is not { } signIn)
        {
            var message = result.Outcome switch
            {
                SignInOutcome.EmailNotConfirmed => LoginPage.NotConfirmed,
                SignInOutcome.AccountDisabled => SignInResult.AccountDisabledDetail,
                _ => Problems.LoginFailureDetail,
            };
            return LoginFailed(request.Http, authorize!, username, message);
        }

        return await flow.SignedInAsync(request.Http, signIn, authorize!, cancellationToken);
    }

    private HtmlPage LoginFailed(HttpRequest http, string authorize, string? username, string message) =>
        flow.LoginForm(http, authorize, username, message);

    /// <summary><c>GET auth/register</c>: the form, or a 404 page while self-registration is disabled.</summary>
    private ValueTask<HtmlPage> RegisterPageAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (!accounts.RegistrationEnabled)
        {
            return ValueTask.FromResult(RegistrationDisabled(request.Http));
        }

        return ValueTask.FromResult(CarriedQuery(request.Http.QueryString.Value) is { } authorize
            ? RegisterPage.Form(request.Http, _productName, flow.IssueCsrf(request.Http), authorize, accounts.EmailRequired)
            : BadQuery(request.Http));
    }

    /// <summary><c>POST auth/register</c> (form): the account, as <c>api/auth/register</c> makes it.</summary>
    private async ValueTask<HtmlPage> RegisterAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (!accounts.RegistrationEnabled)
        {
            return RegistrationDisabled(request.Http);
        }

        var (form, authorize, refused) = ReadForm(request);
        if (refused is not null)
        {
            return refused;
        }

        var username = form![LoginPage.UsernameField];
        var address = form[RegisterPage.EmailField] is { Length: > 0 } typed ? typed.Trim() : null;
        HtmlPage Again(string error, RegisterPage.ErrorField field) =>
            RegisterPage.Form(request.Http, _productName, flow.IssueCsrf(request.Http), authorize!, accounts.EmailRequired, username, address, error, field);

        if (!Username.TryCreate(username, out var name, out var nameError))
        {
            return Again(nameError!, RegisterPage.ErrorField.Username);
        }

        var password = form[LoginPage.PasswordField];
        if (!string.Equals(password, form[RegisterPage.ConfirmPasswordField], StringComparison.Ordinal))
        {
            return Again(RegisterPage.Mismatch, RegisterPage.ErrorField.ConfirmPassword);
        }

        var (checkedPassword, passwordError) = Credentials.CheckPassword(password);
        if (checkedPassword is null)
        {
            return Again(passwordError!, RegisterPage.ErrorField.Password);
        }

        EmailAddress? emailAddress = null;
        if (address is null)
        {
            if (accounts.EmailRequired)
            {
                return Again("An email address is required.", RegisterPage.ErrorField.Email);
            }
        }
        else if (!EmailAddress.TryCreate(address, out emailAddress, out var emailError))
        {
            return Again(emailError, RegisterPage.ErrorField.Email);
        }

        if (accounts.RefusePassword(checkedPassword.Text, name!) is { } refusal)
        {
            return Again(refusal, RegisterPage.ErrorField.Password);
        }

        var registration = await accounts.RegisterAsync(name!, checkedPassword.Text, emailAddress, cancellationToken);
        switch (registration.Outcome)
        {
            case RegistrationOutcome.UsernameTaken:
                return Again("That username is taken.", RegisterPage.ErrorField.Username);
            case RegistrationOutcome.EmailTaken:
                SecurityEvents.RegistrationRefusedEmailTaken(logger);
                return Again("That email address is already in use.", RegisterPage.ErrorField.Email);
        }

        SecurityEvents.Registered(logger, registration.Account!.Id);
        return RegisterPage.Done(request.Http, _productName, authorize!, withEmail: emailAddress is not null && mail.IsConfigured);
    }

    /// <summary><c>GET auth/forgot-password</c>: the form, or a 404 page when email is not configured (the runner answers the POST).</summary>
    private ValueTask<HtmlPage> ForgotPageAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (!mail.IsConfigured)
        {
            return ValueTask.FromResult(SignInPageMarkup.Error(
                request.Http, _productName, "Not available", "Password recovery by email is not available here.", Status404NotFound));
        }

        return ValueTask.FromResult(CarriedQuery(request.Http.QueryString.Value) is { } authorize
            ? ForgotPasswordPage.Form(request.Http, _productName, flow.IssueCsrf(request.Http), authorize)
            : BadQuery(request.Http));
    }

    /// <summary><c>POST auth/forgot-password</c> (form): the same flow and the same answer as <c>api/auth/password/forgot</c>.</summary>
    private async ValueTask<HtmlPage> ForgotAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (form, authorize, refused) = ReadForm(request);
        if (refused is not null)
        {
            return refused;
        }

        var typed = form![RegisterPage.EmailField]?.Trim();
        if (!EmailAddress.TryCreate(typed, out var address, out var error))
        {
            return ForgotPasswordPage.Form(request.Http, _productName, flow.IssueCsrf(request.Http), authorize!, typed, error);
        }

        await resets.ForgotAsync(address!, cancellationToken);
        return ForgotPasswordPage.Done(request.Http, _productName, authorize!);
    }

    private (PageForm? Form, string? Authorize, HtmlPage? Refused) ReadForm(EndpointRequest request) => flow.ReadForm(request);

    private string? CarriedQuery(string? raw) => flow.CarriedQuery(raw);

    private HtmlPage BadQuery(HttpRequest http) => flow.BadQuery(http);

    private HtmlPage RegistrationDisabled(HttpRequest http) =>
        SignInPageMarkup.Error(http, _productName, "Not available", "New accounts cannot be created here.", Status404NotFound);
}

/// <summary>What the sign-in page posts.</summary>
internal sealed record LoginPageForm(
    [property: JsonPropertyName(LoginPage.UsernameField)] string Username,
    [property: JsonPropertyName(LoginPage.PasswordField)] string Password,
    [property: JsonPropertyName(PageCsrf.FieldName), Description("The anti-forgery token the page put in the form.")] string Csrf,
    [property: JsonPropertyName(SignInPageMarkup.AuthorizeField), Description("The authorization request's query string, to go back to.")] string? Authorize);

/// <summary>What the registration page posts.</summary>
internal sealed record RegisterPageForm(
    [property: JsonPropertyName(LoginPage.UsernameField)] string Username,
    [property: JsonPropertyName(LoginPage.PasswordField)] string Password,
    [property: JsonPropertyName(RegisterPage.ConfirmPasswordField)] string ConfirmPassword,
    [property: JsonPropertyName(RegisterPage.EmailField)] string? Email,
    [property: JsonPropertyName(PageCsrf.FieldName), Description("The anti-forgery token the page put in the form.")] string Csrf,
    [property: JsonPropertyName(SignInPageMarkup.AuthorizeField), Description("The authorization request's query string, to go back to.")] string? Authorize);

/// <summary>What the forgot-password page posts.</summary>
internal sealed record ForgotPasswordPageForm(
    [property: JsonPropertyName(RegisterPage.EmailField)] string Email,
    [property: JsonPropertyName(PageCsrf.FieldName), Description("The anti-forgery token the page put in the form.")] string Csrf,
    [property: JsonPropertyName(SignInPageMarkup.AuthorizeField), Description("The authorization request's query string, to go back to.")] string? Authorize);
