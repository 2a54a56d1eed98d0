using System.Globalization;
using System.Text.Encodings.Web;

namespace FuncAuth.Email;

/// <summary>
/// The words of each message, as plain text and as HTML. Everything that is not fixed text (the product name, a link, a
/// masked address, a time) is HTML-encoded in the HTML part; subjects and addresses are headers, which MimeKit encodes.
/// No message carries a secret other than the one link it exists for.
/// </summary>
internal static class EmailTemplates
{
    public static EmailContent ConfirmEmail(string product, string link, TimeSpan lifetime) => Compose(
        $"Confirm your email address for {product}",
        [$"Someone, hopefully you, gave this address for an account at {product}.", "Open the link below to confirm it."],
        link,
        "Confirm my address",
        [$"The link works once and expires in {Describe(lifetime)}.", "If you did not ask for this, ignore this message: nothing changes."]);

    public static EmailContent ConfirmEmailChange(string product, string link, TimeSpan lifetime) => Compose(
        $"Confirm your new email address for {product}",
        [$"Someone, hopefully you, asked to change the email address of an account at {product} to this one.", "Open the link below to confirm it; until then the account keeps its old address."],
        link,
        "Confirm my new address",
        [$"The link works once and expires in {Describe(lifetime)}.", "If you did not ask for this, ignore this message: nothing changes."]);

    public static EmailContent EmailChangeRequested(string product, string maskedNewAddress, DateTimeOffset at) => Compose(
        $"Your {product} email address is being changed",
        [$"On {Format(at)} someone signed in to your {product} account asked to change its email address to {maskedNewAddress}.", "The change happens only when the new address is confirmed."],
        null,
        null,
        ["If this was not you, change your password now: someone else knows it."]);

    public static EmailContent ResetPassword(string product, string link, TimeSpan lifetime) => Compose(
        $"Reset your {product} password",
        [$"Someone, hopefully you, asked to reset the password of the {product} account with this address.", "Open the link below to choose a new password."],
        link,
        "Choose a new password",
        [$"The link works once and expires in {Describe(lifetime)}. Every session of the account will be signed out.", "If you did not ask for this, ignore this message: your password stays as it is."]);

    public static EmailContent PasswordChanged(string product, DateTimeOffset at) => Compose(
        $"Your {product} password was changed",
        [$"The password of your {product} account was changed on {Format(at)}."],
        null,
        null,
        ["If this was not you, reset your password now and review your account."]);

    public static EmailContent PasswordReset(string product, DateTimeOffset at) => Compose(
        $"Your {product} password was reset",
        [$"The password of your {product} account was reset with a link sent to this address on {Format(at)}. Every session was signed out."],
        null,
        null,
        ["If this was not you, reset your password again now: someone can read your email."]);

    public static EmailContent SignInNotice(string product, DateTimeOffset at) => Compose(
        $"New sign-in to your {product} account",
        [$"Your {product} account was signed in to on {Format(at)}."],
        null,
        null,
        ["If this was not you, change your password now."]);

    public static EmailContent RecoveryCodeUsed(string product, DateTimeOffset at, int remaining) => Compose(
        $"A recovery code was used to sign in to your {product} account",
        [$"A recovery code was used to sign in to your {product} account on {Format(at)}, in place of a code from your authenticator app.",
            $"{remaining} recovery code{(remaining == 1 ? string.Empty : "s")} left. Each works once; when few are left, turn TOTP off and on again for new ones."],
        null,
        null,
        ["If this was not you, change your password now and turn TOTP off and on again: someone has your password and a recovery code."]);

    /// <summary>
    /// An address shown to its old owner without giving it away in full: the first character of the local part and the
    /// domain (<c>j•••@example.com</c>).
    /// </summary>
    public static string Mask(string address)
    {
        var at = address.LastIndexOf('@');
        return at <= 0 ? "•••" : string.Concat(address.AsSpan(0, 1), "•••", address.AsSpan(at));
    }

    private static EmailContent Compose(string subject, string[] lead, string? link, string? action, string[] after)
    {
        var text = new System.Text.StringBuilder();
        var html = new System.Text.StringBuilder("<!DOCTYPE html><html lang=\"en\"><body style=\"font-family:sans-serif;line-height:1.5\">");
        foreach (var line in lead)
        {
            text.AppendLine(line).AppendLine();
            html.Append("<p>").Append(HtmlEncoder.Default.Encode(line)).Append("</p>");
        }

        if (link is not null)
        {
            text.AppendLine(link).AppendLine();
            var href = HtmlEncoder.Default.Encode(link);
            html.Append("<p><a href=\"").Append(href).Append("\">").Append(HtmlEncoder.Default.Encode(action ?? link)).Append("</a></p>")
                .Append("<p>Or copy this address into your browser:<br>").Append(href).Append("</p>");
        }

        foreach (var line in after)
        {
            text.AppendLine(line).AppendLine();
            html.Append("<p>").Append(HtmlEncoder.Default.Encode(line)).Append("</p>");
        }

        html.Append("</body></html>");
        return new EmailContent(subject, text.ToString().TrimEnd() + Environment.NewLine, html.ToString());
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan lifetime) =>
        lifetime.TotalHours >= 1 && lifetime.TotalHours == Math.Floor(lifetime.TotalHours)
            ? $"{lifetime.TotalHours:0} hour{(lifetime.TotalHours == 1 ? string.Empty : "s")}"
            : $"{Math.Ceiling(lifetime.TotalMinutes):0} minute{(Math.Ceiling(lifetime.TotalMinutes) == 1 ? string.Empty : "s")}";
}
