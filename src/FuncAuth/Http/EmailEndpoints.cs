using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Http;

/// <summary>
/// An account's email address: asking to change it, confirming it with the token a message carried, and resending a
/// confirmation. Every message goes through the outbox: no answer here waits on SMTP or depends on it.
/// </summary>
internal sealed class EmailEndpoints(EmailConfirmation confirmation)
{
    private const string Tag = "Email";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ChangeEmail, FuncAuthRoutes.Email, Tag, (EmailEndpoints api, EndpointRequest request, CancellationToken ct) => api.ChangeAsync(request, ct)) with
        {
            Summary = "Ask to change your email address",
            Description = "Checks the password again and sends a confirmation link to the new address and a notice to the old one " +
                "(when it was confirmed). Nothing changes until the new address is confirmed (POST api/auth/email/confirm). " +
                "202 when the messages are queued (also when the new address's hourly message budget is spent: it gets no more " +
                "that hour); 400 naming `email` for an invalid or unchanged address; 403 for a wrong password (counts towards " +
                "lockout); 409 when another account holds the address; 404 when email is not configured on this deployment.",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            SendsMail = true,
            Body = BodyKind.Json,
            BodySchema = typeof(EmailChangeBody),
            Problems = [Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ConfirmEmail, FuncAuthRoutes.ConfirmEmail, Tag, (EmailEndpoints api, EndpointRequest request, CancellationToken ct) => api.ConfirmAsync(request, ct)) with
        {
            Summary = "Confirm an email address",
            Description = "Spends the token from a confirmation link (single use) and confirms the address it was sent to, or, for " +
                "an address change, makes the new address the account's (confirmed). 204 when done; 400 naming `token` for a " +
                "token that is unknown, spent, expired or voided (one answer for all); 409 when another account took the new " +
                "address meanwhile.",
            Throttle = Throttle.TokenRequests,
            Body = BodyKind.Json,
            BodySchema = typeof(TokenBody),
            Problems = [Status400BadRequest, Status409Conflict],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ResendConfirmation, FuncAuthRoutes.ResendConfirmation, Tag, (EmailEndpoints api, EndpointRequest request, CancellationToken ct) => api.ResendAsync(request, ct)) with
        {
            Summary = "Resend a confirmation link",
            Description = "202 with no body, whatever the address: a confirmation is sent only when it is an account's unconfirmed " +
                "address, decided when the message is sent, so the answer and its timing reveal nothing. At most " +
                "FuncAuth:Email:MaxMessagesPerAddressPerHour messages per address and hour. 400 naming `email` only for a " +
                "string that is not an address at all.",
            Throttle = Throttle.PasswordChecks,
            SendsMail = true,
            Body = BodyKind.Json,
            BodySchema = typeof(AddressBody),
            Problems = [Status400BadRequest, Status404NotFound],
        },
    ];

    /// <summary><c>POST api/auth/email</c>: bearer token and JSON <see cref="EmailChangeBody"/> → 202.</summary>
    private async ValueTask<Results<Accepted, ProblemHttpResult>> ChangeAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (request.CallerName is not { } username)
        {
            return BearerToken.InvalidToken(request.Response, "The access token is invalid.");
        }

        var (fields, problem) = RequestBody.ParseJson(request.Body, EmailJson.Default.EmailChangeBody, "{\"email\": \"...\", \"password\": \"...\"}");
        if (fields is null)
        {
            return problem!;
        }

        if (!EmailAddress.TryCreate(fields.Email, out var address, out var error))
        {
            return Problems.Invalid("email", error);
        }

        var (password, passwordError) = Credentials.CheckPassword(fields.Password);
        if (password is null)
        {
            return Problems.Invalid("password", passwordError!);
        }

        return await confirmation.RequestChangeAsync(username, request.Caller.Subject, password, address, cancellationToken) switch
        {
            EmailChangeResult.WrongPassword => Problems.Forbidden("The password is incorrect; nothing was changed."),
            EmailChangeResult.NoAccount => BearerToken.InvalidToken(request.Response, "The access token's account no longer exists."),
            EmailChangeResult.Unchanged => Problems.Invalid("email", "That is already the account's address."),
            EmailChangeResult.AddressTaken => Problems.Conflict("That email address is already in use."),
            _ => TypedResults.Accepted((string?)null),
        };
    }

    /// <summary><c>POST api/auth/email/confirm</c>: JSON <see cref="TokenBody"/> → 204.</summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> ConfirmAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (fields, problem) = RequestBody.ParseJson(request.Body, EmailJson.Default.TokenBody, "{\"token\": \"...\"}");
        if (fields is null)
        {
            return problem!;
        }

        return await confirmation.ConfirmAsync(fields.Token ?? string.Empty, cancellationToken) switch
        {
            ConfirmEmailResult.Confirmed => TypedResults.NoContent(),
            ConfirmEmailResult.AddressTaken => Problems.Conflict("Another account took that email address meanwhile; the address was not changed."),
            _ => InvalidToken(),
        };
    }

    /// <summary><c>POST api/auth/email/resend</c>: JSON <see cref="AddressBody"/> → 202, whatever the address.</summary>
    private async ValueTask<Results<Accepted, ProblemHttpResult>> ResendAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (address, problem) = ReadAddress(request.Body);
        if (address is null)
        {
            return problem!;
        }

        await confirmation.ResendAsync(address, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>The JSON <c>{"email"}</c> body of resend and forgot.</summary>
    internal static (EmailAddress? Address, ProblemHttpResult? Problem) ReadAddress(byte[] body)
    {
        var (fields, problem) = RequestBody.ParseJson(body, EmailJson.Default.AddressBody, "{\"email\": \"...\"}");
        if (fields is null)
        {
            return (null, problem);
        }

        return EmailAddress.TryCreate(fields.Email, out var address, out var error) ? (address, null) : (null, Problems.Invalid("email", error));
    }

    internal static ProblemHttpResult InvalidToken() =>
        Problems.Invalid("token", "The link is invalid, was already used or has expired. Ask for a new one.");
}

/// <summary>The body of an address change.</summary>
internal sealed class EmailChangeBody
{
    [JsonPropertyName("email")]
    [Required]
    [Description("The new address: a plain mailbox (no display name), at most 254 characters.")]
    public string? Email { get; init; }

    [JsonPropertyName("password")]
    [Required]
    [Description("The account's password.")]
    public string? Password { get; init; }
}

/// <summary>A body carrying the token from a link.</summary>
internal sealed class TokenBody
{
    [JsonPropertyName("token")]
    [Required]
    [Description("The token from the link's fragment (#token=…).")]
    public string? Token { get; init; }
}

/// <summary>A body naming an address.</summary>
internal sealed class AddressBody
{
    [JsonPropertyName("email")]
    [Required]
    [Description("An email address.")]
    public string? Email { get; init; }
}

/// <summary>The body of a password reset.</summary>
internal sealed class PasswordResetBody
{
    [JsonPropertyName("token")]
    [Required]
    [Description("The token from the reset link's fragment (#token=…).")]
    public string? Token { get; init; }

    [JsonPropertyName("new_password")]
    [Required]
    [Description("The rules of registration: at most 128 UTF-16 code units, at least 8 after Unicode NFKC normalisation, not a " +
        "common password, not containing the username.")]
    public string? NewPassword { get; init; }
}

/// <summary>Strict JSON for the email and recovery bodies: a property given twice is an error.</summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(EmailChangeBody))]
[JsonSerializable(typeof(TokenBody))]
[JsonSerializable(typeof(AddressBody))]
[JsonSerializable(typeof(PasswordResetBody))]
internal sealed partial class EmailJson : JsonSerializerContext;
