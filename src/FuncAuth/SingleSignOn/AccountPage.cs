using System.Globalization;
using System.Text;
using FuncAuth.Http;
using FuncAuth.Mfa;
using FuncAuth.Pages;
using FuncAuth.Passkeys;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;
using static FuncAuth.SingleSignOn.SignInPageMarkup;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// The markup of <c>auth/account</c>: the signed-in user's passkeys (each with a Remove form), a form to add one, and TOTP
/// (turn on, scan and confirm, the recovery codes once, turn off). Every form posts to the same address with a hidden
/// <c>action</c>, the anti-forgery token and (but for the TOTP confirmation) the password again.
/// </summary>
internal static class AccountPage
{
    public const string Heading = "Your account";

    public const string ActionField = "action";
    public const string NameField = "name";
    public const string PasskeyIdField = "passkey_id";
    public const string CredentialField = "credential";

    public const string ErrorId = "account-error";

    /// <summary>The forms' actions: what the POST asks for.</summary>
    public static class Actions
    {
        public const string AddPasskey = "passkey-add";
        public const string RemovePasskey = "passkey-remove";
        public const string BeginTotp = "totp-begin";
        public const string ConfirmTotp = "totp-confirm";
        public const string DisableTotp = "totp-off";
    }

    /// <summary>
    /// What the page shows. <paramref name="PasskeyOptions"/>: creation options (WebAuthn JSON) for the add form, null when
    /// the deployment has no passkeys (the section is left out);
    /// <paramref name="Setup"/>: a pending TOTP secret to scan; <paramref name="Confirming"/>: the confirmation form without
    /// the QR code (a wrong code: the app already has the secret); <paramref name="RecoveryCodes"/>: shown this once.
    /// <paramref name="ErrorFor"/> is the action whose form the <paramref name="Error"/> is about.
    /// </summary>
    public sealed record View(
        string Username,
        IReadOnlyList<StoredPasskey> Passkeys,
        bool TotpOn,
        string? PasskeyOptions,
        TotpSetup? Setup = null,
        bool Confirming = false,
        IReadOnlyList<string>? RecoveryCodes = null,
        string? Notice = null,
        string? Error = null,
        string? ErrorFor = null,
        bool TotpAvailable = true);

    public static HtmlPage Show(HttpRequest request, string productName, string csrf, View view)
    {
        var body = new StringBuilder()
            .Append(Paragraph($"Signed in as {view.Username}."))
            .Append(view.Error is null ? string.Empty : Alert(ErrorId, view.Error))
            .Append(view.Notice is null ? string.Empty : $"<p class=\"success\" role=\"status\">{Encode(view.Notice)}</p>\n")
            .Append(RecoveryCodes(view.RecoveryCodes))
            .Append(view.PasskeyOptions is null ? string.Empty : "<h2>Passkeys</h2>\n" + PasskeyList(request, csrf, view) + AddPasskey(request, csrf, view))
            .Append("<h2>Two-step sign-in</h2>\n")
            .Append(Totp(request, csrf, view))
            .Append(Link($"{request.PathBase}/{FuncAuthRoutes.EndSession}", "Sign out"))
            .ToString();
        var page = Render(request, productName, Heading, body);

        // The QR code is an image written into the page (data:), so only a page showing one allows data: images.
        return view.Setup is null ? page : page.Allowing(HtmlPage.DataImages);
    }

    private static string RecoveryCodes(IReadOnlyList<string>? codes)
    {
        if (codes is null)
        {
            return string.Empty;
        }

        var html = new StringBuilder("<section class=\"codes\" aria-labelledby=\"recovery-codes-heading\">\n")
            .Append("<h2 id=\"recovery-codes-heading\">Your recovery codes</h2>\n")
            .Append(Paragraph("Save these codes somewhere safe now: they are shown only this once. Each one signs you in once " +
                "when you do not have your authenticator app."))
            .Append("<ol id=\"recovery-codes\">\n");
        foreach (var code in codes)
        {
            html.Append("<li><code>").Append(Encode(code)).Append("</code></li>\n");
        }

        return html.Append("</ol>\n</section>\n").ToString();
    }

    private static string PasskeyList(HttpRequest request, string csrf, View view)
    {
        if (view.Passkeys.Count == 0)
        {
            return Paragraph("You have no passkeys yet.");
        }

        var html = new StringBuilder("<ul class=\"passkeys\" id=\"passkeys\">\n");
        for (var i = 0; i < view.Passkeys.Count; i++)
        {
            var passkey = view.Passkeys[i];
            var inError = view.ErrorFor == Actions.RemovePasskey + ":" + passkey.Id;

            // One form per passkey, each with its own password field: Enter in a field removes only the passkey beside it.
            html.Append("<li data-passkey-id=\"").Append(Encode(passkey.Id)).Append("\">\n")
                .Append("<p><strong class=\"passkey-name\">").Append(Encode(passkey.Name)).Append("</strong><br>\n")
                .Append("<span class=\"hint\">Added ").Append(Encode(When(passkey.CreatedAt)))
                .Append(", last used ").Append(Encode(passkey.LastUsedAt is { } used ? When(used) : "never")).Append("</span></p>\n")
                .Append(FormStart(request, FuncAuthRoutes.AccountPage))
                .Append(FormFields(csrf, string.Empty))
                .Append(Hidden(ActionField, Actions.RemovePasskey))
                .Append(Hidden(PasskeyIdField, passkey.Id))
                .Append(Field($"remove-password-{i}", LoginPage.PasswordField, "password", $"Password, to remove “{passkey.Name}”", "current-password",
                    required: true, errorId: inError ? ErrorId : null))
                .Append(FormEnd("Remove"))
                .Append("</li>\n");
        }

        return html.Append("</ul>\n").ToString();
    }

    /// <summary>
    /// The add form: hidden until the script has seen the browser can create passkeys; the creation options ride in a data
    /// attribute (encoded like any attribute, so no markup can come out of them), the credential goes in a hidden field.
    /// </summary>
    private static string AddPasskey(HttpRequest request, string csrf, View view)
    {
        var options = view.PasskeyOptions!;
        var inError = view.ErrorFor == Actions.AddPasskey;
        return "<p class=\"hint\" data-funcauth-passkeys-unsupported>This browser cannot create passkeys here.</p>\n"
            + FormStart(request, FuncAuthRoutes.AccountPage, $"data-funcauth-passkey-create=\"{Encode(options)}\" hidden")
            + "<h3>Add a passkey</h3>\n"
            + FormFields(csrf, string.Empty)
            + Hidden(ActionField, Actions.AddPasskey)
            + Hidden(CredentialField, null)
            + Field("passkey-name", NameField, "text", "Name for the passkey", "off", required: true, errorId: null,
                hint: "So you can tell your passkeys apart, e.g. “Work laptop”.", hintId: "passkey-name-hint", inputAttributes: "maxlength=\"64\"")
            + Field("add-password", LoginPage.PasswordField, "password", "Password", "current-password", required: true, errorId: inError ? ErrorId : null)
            + FormEnd("Add a passkey");
    }

    private static string Totp(HttpRequest request, string csrf, View view)
    {
        if (view.Setup is not null || view.Confirming)
        {
            var html = new StringBuilder();
            if (view.Setup is { } setup)
            {
                html.Append(Paragraph("Scan this code with your authenticator app, or type the key below into it."))
                    .Append("<p><img class=\"qr\" id=\"totp-qr\" alt=\"QR code of the key for your authenticator app\" src=\"")
                    .Append(Encode("data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(setup.QrCodeSvg))))
                    .Append("\"></p>\n")
                    .Append("<p>Key: <code id=\"totp-secret\">").Append(Encode(setup.Secret)).Append("</code></p>\n");
            }

            return html
                .Append(FormStart(request, FuncAuthRoutes.AccountPage))
                .Append(FormFields(csrf, string.Empty))
                .Append(Hidden(ActionField, Actions.ConfirmTotp))
                .Append(CodeField("confirm-code", view.ErrorFor == Actions.ConfirmTotp))
                .Append(FormEnd("Turn on two-step sign-in"))
                .ToString();
        }

        if (view.TotpOn)
        {
            var inError = view.ErrorFor == Actions.DisableTotp;
            return Paragraph("Two-step sign-in is on: after your password, you enter a code from your authenticator app.", "success")
                + FormStart(request, FuncAuthRoutes.AccountPage)
                + FormFields(csrf, string.Empty)
                + Hidden(ActionField, Actions.DisableTotp)
                + Field("off-password", LoginPage.PasswordField, "password", "Password", "current-password", required: true, errorId: inError ? ErrorId : null)
                + CodeField("off-code", inError)
                + FormEnd("Turn off two-step sign-in");
        }

        if (!view.TotpAvailable)
        {
            return Paragraph("Two-step sign-in with an authenticator app is not available on this site.");
        }

        var beginError = view.ErrorFor == Actions.BeginTotp;
        return Paragraph("Two-step sign-in is off. Turn it on to be asked for a code from an authenticator app after your password.")
            + FormStart(request, FuncAuthRoutes.AccountPage)
            + FormFields(csrf, string.Empty)
            + Hidden(ActionField, Actions.BeginTotp)
            + Field("on-password", LoginPage.PasswordField, "password", "Password", "current-password", required: true, errorId: beginError ? ErrorId : null)
            + FormEnd("Turn on two-step sign-in");
    }

    private static string CodeField(string id, bool inError) =>
        Field(id, SecondFactorPage.CodeField, "text", "Code from your authenticator app", "one-time-code", required: true,
            errorId: inError ? ErrorId : null, inputAttributes: "inputmode=\"numeric\" pattern=\"[0-9 ]{6,7}\" maxlength=\"7\"");

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
