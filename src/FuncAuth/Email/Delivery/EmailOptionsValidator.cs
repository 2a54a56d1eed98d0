using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email.Delivery;

/// <summary>Refuses, at start-up, email settings that could not work or would not be safe, naming each.</summary>
internal sealed class EmailOptionsValidator(IHostEnvironment environment, IOptions<Tokens.TokenOptions> tokens) : IValidateOptions<EmailOptions>
{
    private const string Section = EmailOptions.SectionName;

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var failures = new List<string>();
        var smtp = options.Smtp;
        var smtpConfigured = !string.IsNullOrWhiteSpace(smtp.Host);

        if (smtpConfigured && string.IsNullOrWhiteSpace(options.From))
        {
            failures.Add($"{Section}:From is required when {Section}:Smtp:Host is set: the sender's address, such as no-reply@example.com.");
        }
        else if (!string.IsNullOrWhiteSpace(options.From) && !EmailAddress.TryCreate(options.From, out _, out _))
        {
            failures.Add($"{Section}:From must be a plain email address (such as no-reply@example.com: no display name, which is {Section}:FromName).");
        }

        // A link needs an absolute page address: the page settings, the public base URL, or an http(s) issuer.
        if (smtpConfigured && !EmailLinks.CanLink(options, tokens.Value, environment.IsDevelopment()))
        {
            failures.Add($"{Section}:PublicBaseUrl is required when {Section}:Smtp:Host is set and FuncAuth:Tokens:Issuer is not an https URL: " +
                "the address of FuncAuth's own pages in the messages' links (or set both ConfirmEmailUrl and ResetPasswordUrl).");
        }

        // They become header values; MimeKit would keep a line break inside its header, but it is a mistake either way.
        CheckSingleLine(failures, "FromName", options.FromName, required: false);
        CheckSingleLine(failures, "ProductName", options.ProductName, required: true);

        if (smtpConfigured)
        {
            if (Uri.CheckHostName(smtp.Host!.Trim()) == UriHostNameType.Unknown || smtp.Host != smtp.Host.Trim())
            {
                failures.Add($"{Section}:Smtp:Host must be a host name or an IP address, such as smtp.azurecomm.net.");
            }

            if (string.IsNullOrEmpty(smtp.Username) != string.IsNullOrEmpty(smtp.Password))
            {
                failures.Add($"{Section}:Smtp:Username and {Section}:Smtp:Password go together: set both (the relay's credentials) or neither.");
            }
        }

        if (smtp.Port is < 1 or > 65535)
        {
            failures.Add($"{Section}:Smtp:Port must be between 1 and 65535 (587 for StartTls, 465 for SslOnConnect).");
        }

        if (!Enum.IsDefined(smtp.Security))
        {
            failures.Add($"{Section}:Smtp:Security must be StartTls or SslOnConnect.");
        }
        else if (smtp.Security == SmtpSecurity.None && !environment.IsDevelopment())
        {
            failures.Add(
                $"{Section}:Smtp:Security None (no TLS: the messages, and the relay's password, cross the network in the clear) is accepted only " +
                $"in the Development environment, not in {environment.EnvironmentName}; use StartTls or SslOnConnect.");
        }

        CheckDuration(failures, "ResetTokenLifetime", options.ResetTokenLifetime, MaxLifetime);
        CheckDuration(failures, "ConfirmationTokenLifetime", options.ConfirmationTokenLifetime, MaxLifetime);
        CheckDuration(failures, "DeliveryDeadline", options.DeliveryDeadline, MaxLifetime);
        CheckDuration(failures, "DispatchInterval", options.DispatchInterval, TimeSpan.FromHours(1));

        if (options.MaxMessagesPerAddressPerHour < 1)
        {
            failures.Add($"{Section}:MaxMessagesPerAddressPerHour must be at least 1.");
        }

        CheckUrl(failures, "ConfirmEmailUrl", options.ConfirmEmailUrl, queryAllowed: true);
        CheckUrl(failures, "ResetPasswordUrl", options.ResetPasswordUrl, queryAllowed: true);
        CheckUrl(failures, "PublicBaseUrl", options.PublicBaseUrl, queryAllowed: false);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSingleLine(List<string> failures, string setting, string? value, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Section}:{setting} must not be empty.");
        }
        else if (value is not null && (value.Any(char.IsControl) || value.Length > 100))
        {
            failures.Add($"{Section}:{setting} must be one line of at most 100 characters (no CR, LF or other control characters).");
        }
    }

    private static void CheckDuration(List<string> failures, string setting, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:{setting} must be positive and at most {max:c}."));
        }
    }

    /// <summary>
    /// A link in a message: absolute, https (http only in Development, for a local page), and without a fragment, which is
    /// where the token goes (a fragment is never sent to a server, so the token stays out of request logs).
    /// </summary>
    private void CheckUrl(List<string> failures, string setting, Uri? url, bool queryAllowed)
    {
        if (url is null)
        {
            return;
        }

        var httpAllowed = environment.IsDevelopment();
        if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (httpAllowed && url.Scheme == Uri.UriSchemeHttp)))
        {
            failures.Add(httpAllowed
                ? $"{Section}:{setting} must be an absolute http or https URL."
                : $"{Section}:{setting} must be an absolute https URL (http is accepted only in the Development environment).");
        }
        else if (url.Fragment.Length > 0 || url.OriginalString.Contains('#', StringComparison.Ordinal))
        {
            failures.Add($"{Section}:{setting} must not have a fragment (#…): the token is put there.");
        }
        else if (!queryAllowed && url.Query.Length > 0)
        {
            failures.Add($"{Section}:{setting} must not have a query (?…): page paths are appended to it.");
        }
    }
}
