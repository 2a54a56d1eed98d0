using System.ComponentModel;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Mfa;
using FuncAuth.Pages;
using FuncAuth.Passkeys;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// The account page (<c>auth/account</c>): a user signed in to the browser session adds, names and removes passkeys and
/// turns TOTP on and off. It is reached only with a live browser session (the single-sign-on cookie); without one, the
/// sign-in page. Every change asks for the password again, checked by <see cref="GuardedPasswordCheck"/> (it counts toward
/// the account's lockout as a sign-in does): a browser left signed in, or a stolen cookie, is not enough to add an
/// attacker's passkey or turn the second factor off. The one exception is the TOTP confirmation, which needs a current
/// code of the secret the password-checked step just made: only whoever saw that secret can send one.
/// </summary>
internal sealed class AccountPageEndpoints(
    SignInPageFlow flow,
    BrowserSessions browsers,
    AccountService accounts,
    GuardedPasswordCheck passwords,
    PasskeyRegistration passkeys,
    TotpEnrolment totp,
    ILogger<AccountPageEndpoints> logger)
{
    private const string WrongPassword = "The password is not right. Nothing was changed.";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.AccountPage, FuncAuthRoutes.AccountPage, PageEndpoints.Tag, (AccountPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.ShowAsync(request, ct)) with
        {
            Summary = "The account page",
            Description = "For the user signed in to this browser (the single-sign-on cookie of the sign-in page): their " +
                "passkeys (name, added, last used, a Remove form each), a form to add one (creation options embedded in the " +
                "page; the page's script calls navigator.credentials.create), and two-step sign-in (TOTP) on or off. Without a " +
                "live browser session: 303 to the sign-in page.",
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.AccountPageSubmit, FuncAuthRoutes.AccountPage, PageEndpoints.Tag, (AccountPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.SubmitAsync(request, ct)) with
        {
            Summary = "Change passkeys or TOTP from the account page",
            Description = "One form field `action` says what: `passkey-add` (`name`, `credential`: the attestation as " +
                "PublicKeyCredential.toJSON() writes it), `passkey-remove` (`passkey_id`), `totp-begin` (answers the QR code, " +
                "the key in text and a code field), `totp-confirm` (`code`: turns TOTP on and shows the 10 recovery codes " +
                "once), `totp-off` (`code`). Every action but `totp-confirm` needs `password`, checked again as a sign-in " +
                "checks it (wrong ones count toward the lockout). Answers the page again with one message; without a live " +
                "browser session, 303 to the sign-in page." + SignInPageEndpoints.FormsNote,
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            BodySchema = typeof(AccountPageForm),
            Describe = builder => SignInPageEndpoints.HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
        },
    ];

    /// <summary><c>GET auth/account</c>: the page, or the sign-in page for a browser without a live session.</summary>
    private async ValueTask<Results<HtmlPage, SeeOther>> ShowAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        if (await SignedInAsync(http, cancellationToken) is not var (_, account))
        {
            return SignInFirst(http);
        }

        return await RenderAsync(http, account, new(), cancellationToken);
    }

    /// <summary><c>POST auth/account</c> (form): one change, named by the field <c>action</c>.</summary>
    private async ValueTask<Results<HtmlPage, SeeOther>> SubmitAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (form, _, refused) = flow.ReadForm(request);
        if (refused is not null)
        {
            return refused;
        }

        var http = request.Http;
        if (await SignedInAsync(http, cancellationToken) is not var (session, account))
        {
            return SignInFirst(http);
        }

        var action = form![AccountPage.ActionField];
        if (action == AccountPage.Actions.ConfirmTotp)
        {
            return await ConfirmTotpAsync(http, session, account, form[SecondFactorPage.CodeField], cancellationToken);
        }

        if (action is not (AccountPage.Actions.AddPasskey or AccountPage.Actions.RemovePasskey or AccountPage.Actions.BeginTotp or AccountPage.Actions.DisableTotp))
        {
            return SignInPageMarkup.Error(http, flow.ProductName, "Request not understood", SignInPageMarkup.Unreadable, Status400BadRequest);
        }

        // The password again, before anything is looked at or changed. The account checked is the one changed after.
        var errorFor = action == AccountPage.Actions.RemovePasskey ? action + ":" + form[AccountPage.PasskeyIdField] : action;
        var (password, _) = Credentials.CheckPassword(form[LoginPage.PasswordField]);
        var check = password is null || !Username.TryCreate(session.Username, out var username, out _)
            ? null
            : await passwords.CheckAsync(username!, password, session.UserId, cancellationToken);
        if (check?.Verdict == PasswordVerdict.NoAccount)
        {
            return SignInFirst(http);
        }

        if (check is not { Verdict: PasswordVerdict.Right, Account: { } checkedAccount })
        {
            SecurityEvents.AccountPagePasswordRefused(logger, session.UserId, action);
            return await RenderAsync(http, account, new(Error: WrongPassword, ErrorFor: errorFor), cancellationToken);
        }

        return action switch
        {
            AccountPage.Actions.AddPasskey => await AddPasskeyAsync(http, session, checkedAccount, form, cancellationToken),
            AccountPage.Actions.RemovePasskey => await RemovePasskeyAsync(http, session, checkedAccount, form[AccountPage.PasskeyIdField], cancellationToken),
            AccountPage.Actions.BeginTotp => await BeginTotpAsync(http, session, checkedAccount, cancellationToken),
            _ => await DisableTotpAsync(http, session, checkedAccount, form[SecondFactorPage.CodeField], cancellationToken),
        };
    }

    private async Task<HtmlPage> AddPasskeyAsync(HttpRequest http, Session session, UserAccount account, PageForm form, CancellationToken cancellationToken)
    {
        const string action = AccountPage.Actions.AddPasskey;
        var (name, nameError) = PasskeyRegistration.CheckName(form[AccountPage.NameField]);
        if (nameError is not null)
        {
            return await RenderAsync(http, account, new(Error: nameError, ErrorFor: action), cancellationToken);
        }

        if (!flow.PasskeysOn || form[AccountPage.CredentialField] is not { Length: > 0 } credential)
        {
            SecurityEvents.AccountPageChangeRefused(logger, session.UserId, action, "no credential was sent");
            return await RenderAsync(http, account, new(Error: "This browser did not create a passkey. Try again.", ErrorFor: action), cancellationToken);
        }

        var result = await passkeys.RegisterAsync(account, credential, name, cancellationToken);
        if (result.Passkey is not { } added)
        {
            SecurityEvents.AccountPageChangeRefused(logger, session.UserId, action, "the attestation was refused");
            return await RenderAsync(http, account, new(Error: result.Refusal ?? "The passkey could not be added.", ErrorFor: action), cancellationToken);
        }

        SecurityEvents.AccountPageChanged(logger, session.UserId, action, session.Id);
        return await RenderAsync(http, account, new(Notice: $"Passkey “{added.Name}” added."), cancellationToken);
    }

    private async Task<HtmlPage> RemovePasskeyAsync(HttpRequest http, Session session, UserAccount account, string? id, CancellationToken cancellationToken)
    {
        const string action = AccountPage.Actions.RemovePasskey;
        if (!flow.PasskeysOn || string.IsNullOrEmpty(id) || !await passkeys.DeleteAsync(session.UserId, id, cancellationToken))
        {
            // Already removed (another tab), or an id that is not one of this user's: the same answer.
            SecurityEvents.AccountPageChangeRefused(logger, session.UserId, action, "no such passkey");
            return await RenderAsync(http, account, new(Error: "That passkey was not found; it may have been removed already."), cancellationToken);
        }

        SecurityEvents.AccountPageChanged(logger, session.UserId, action, session.Id);
        return await RenderAsync(http, account, new(Notice: "Passkey removed."), cancellationToken);
    }

    private async Task<HtmlPage> BeginTotpAsync(HttpRequest http, Session session, UserAccount account, CancellationToken cancellationToken)
    {
        if (await totp.IsEnabledAsync(account.Id, cancellationToken))
        {
            return await RenderAsync(http, account, new(Notice: "Two-step sign-in is already on."), cancellationToken);
        }

        if (!totp.IsAvailable)
        {
            // No FuncAuth:Mfa:EncryptionKey outside Development: no secret could be stored (the page offers no form then).
            return await RenderAsync(http, account, new(Error: "Two-step sign-in is not available on this site."), cancellationToken);
        }

        var setup = await totp.BeginAsync(account, cancellationToken);
        SecurityEvents.AccountPageChanged(logger, session.UserId, AccountPage.Actions.BeginTotp, session.Id);
        return await RenderAsync(http, account, new(Setup: setup), cancellationToken);
    }

    private async Task<Results<HtmlPage, SeeOther>> ConfirmTotpAsync(HttpRequest http, Session session, UserAccount account, string? code, CancellationToken cancellationToken)
    {
        const string action = AccountPage.Actions.ConfirmTotp;
        var codes = Code(code) is { } typed ? await totp.ConfirmAsync(account, typed, cancellationToken) : null;
        if (codes is null)
        {
            SecurityEvents.AccountPageChangeRefused(logger, session.UserId, action, "a wrong code, or nothing pending");
            return await RenderAsync(http, account, new(
                Confirming: true, ErrorFor: action,
                Error: "That code did not work. Enter the code your authenticator app shows now, or turn two-step sign-in on again."), cancellationToken);
        }

        SecurityEvents.AccountPageChanged(logger, session.UserId, action, session.Id);
        return await RenderAsync(http, account, new(RecoveryCodes: codes, Notice: "Two-step sign-in is on."), cancellationToken);
    }

    private async Task<HtmlPage> DisableTotpAsync(HttpRequest http, Session session, UserAccount account, string? code, CancellationToken cancellationToken)
    {
        const string action = AccountPage.Actions.DisableTotp;
        if (Code(code) is not { } typed || !await totp.DisableAsync(account, typed, cancellationToken))
        {
            SecurityEvents.AccountPageChangeRefused(logger, session.UserId, action, "a wrong code, or TOTP already off");
            return await RenderAsync(http, account, new(Error: "That code did not work. Nothing was changed.", ErrorFor: action), cancellationToken);
        }

        SecurityEvents.AccountPageChanged(logger, session.UserId, action, session.Id);
        return await RenderAsync(http, account, new(Notice: "Two-step sign-in is off."), cancellationToken);
    }

    /// <summary>The browser's live session and its account as it is now; null when either is gone (signed out, deleted, renamed).</summary>
    private async Task<(Session Session, UserAccount Account)?> SignedInAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (await browsers.FindAsync(http, cancellationToken) is not { } session
            || !Username.TryCreate(session.Username, out var username, out _)
            || await accounts.FindAsync(username!, session.UserId, cancellationToken) is not { } account)
        {
            return null;
        }

        return (session, account);
    }

    /// <summary>What the page is to say besides the current state (see <see cref="AccountPage.View"/>).</summary>
    private sealed record Outcome(
        TotpSetup? Setup = null, bool Confirming = false, IReadOnlyList<string>? RecoveryCodes = null,
        string? Notice = null, string? Error = null, string? ErrorFor = null);

    private async Task<HtmlPage> RenderAsync(HttpRequest http, UserAccount account, Outcome outcome, CancellationToken cancellationToken)
    {
        // Three reads at once; the creation options' challenge is stored single use for 5 minutes, one per page shown.
        // Without passkeys on this deployment, the page is about TOTP alone.
        var passkeysOn = flow.PasskeysOn;
        var listing = passkeysOn ? passkeys.ListAsync(account.Id, cancellationToken) : Task.FromResult<IReadOnlyList<StoredPasskey>>([]);
        var enabled = totp.IsEnabledAsync(account.Id, cancellationToken);
        var options = passkeysOn ? passkeys.CreateOptionsAsync(account, cancellationToken) : Task.FromResult<string>(null!);
        await Task.WhenAll(listing, enabled, options);
        var view = new AccountPage.View(
            account.Username, await listing, await enabled, await options,
            outcome.Setup, outcome.Confirming, outcome.RecoveryCodes, outcome.Notice, outcome.Error, outcome.ErrorFor, totp.IsAvailable);
        return AccountPage.Show(http, flow.ProductName, flow.IssueCsrf(http), view);
    }

    /// <summary>To the sign-in page (no authorization request: after signing in, its page links back here).</summary>
    private static SeeOther SignInFirst(HttpRequest http) => new($"{http.PathBase}/{FuncAuthRoutes.LoginPage}");

    /// <summary>A code as typed: spaces (as apps group the digits) dropped; null when there is nothing.</summary>
    private static string? Code(string? typed) => typed?.Replace(" ", string.Empty, StringComparison.Ordinal) is { Length: > 0 } code ? code : null;
}

/// <summary>What the account page's forms post (which fields, depends on <c>action</c>).</summary>
internal sealed record AccountPageForm(
    [property: JsonPropertyName(AccountPage.ActionField), Description("passkey-add, passkey-remove, totp-begin, totp-confirm or totp-off.")] string Action,
    [property: JsonPropertyName(LoginPage.PasswordField), Description("The password again: every action but totp-confirm.")] string? Password,
    [property: JsonPropertyName(AccountPage.NameField), Description("passkey-add: a name for the passkey.")] string? Name,
    [property: JsonPropertyName(AccountPage.CredentialField), Description("passkey-add: the attestation, as PublicKeyCredential.toJSON() writes it (JSON text).")] string? Credential,
    [property: JsonPropertyName(AccountPage.PasskeyIdField), Description("passkey-remove: the passkey's id (base64url credential id).")] string? PasskeyId,
    [property: JsonPropertyName(SecondFactorPage.CodeField), Description("totp-confirm and totp-off: the authenticator app's current code.")] string? Code,
    [property: JsonPropertyName(PageCsrf.FieldName), Description("The anti-forgery token the page put in the form.")] string Csrf);
