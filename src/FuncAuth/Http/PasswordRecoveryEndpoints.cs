using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Http;

/// <summary>
/// Password recovery by email (OWASP Forgot Password Cheat Sheet): <c>forgot</c> answers the same, after the same work,
/// whether or not the address has an account; <c>reset</c> sets a new password with the single-use token the message
/// carried.
/// </summary>
internal sealed class PasswordRecoveryEndpoints(PasswordReset resets)
{
    private const string Tag = "Accounts";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ForgotPassword, FuncAuthRoutes.ForgotPassword, Tag, (PasswordRecoveryEndpoints api, EndpointRequest request, CancellationToken ct) => api.ForgotAsync(request, ct)) with
        {
            Summary = "Ask for a password reset link",
            Description = "202 with no body, whatever the address: a reset link is sent only when the address is an account's, " +
                "decided when the message is sent, so the answer and its timing are the same either way (no account " +
                "enumeration). At most FuncAuth:Email:MaxMessagesPerAddressPerHour messages per address and hour. 400 naming " +
                "`email` only for a string that is not an address at all.",
            Throttle = Throttle.PasswordChecks,
            SendsMail = true,
            Body = BodyKind.Json,
            BodySchema = typeof(AddressBody),
            Problems = [Status400BadRequest, Status404NotFound],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ResetPassword, FuncAuthRoutes.ResetPassword, Tag, (PasswordRecoveryEndpoints api, EndpointRequest request, CancellationToken ct) => api.ResetAsync(request, ct)) with
        {
            Summary = "Set a new password with a reset link's token",
            Description = "Spends the token (single use; a password change or reset voids every earlier one) and sets the new " +
                "password (the rules of registration): every session of the user ends, every access token issued before is " +
                "refused, and the name's lockout is cleared. 204 when done; 400 naming `token` for a token that is unknown, " +
                "spent, expired or voided, or naming `new_password` for one the rules refuse (the token is then not spent).",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Json,
            BodySchema = typeof(PasswordResetBody),
            Problems = [Status400BadRequest],
        },
    ];

    /// <summary><c>POST api/auth/password/forgot</c>: JSON <see cref="AddressBody"/> → 202, whatever the address.</summary>
    private async ValueTask<Results<Accepted, ProblemHttpResult>> ForgotAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (address, problem) = EmailEndpoints.ReadAddress(request.Body);
        if (address is null)
        {
            return problem!;
        }

        await resets.ForgotAsync(address, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary><c>POST api/auth/password/reset</c>: JSON <see cref="PasswordResetBody"/> → 204.</summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> ResetAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (fields, problem) = RequestBody.ParseJson(request.Body, EmailJson.Default.PasswordResetBody, "{\"token\": \"...\", \"new_password\": \"...\"}");
        if (fields is null)
        {
            return problem!;
        }

        var (password, passwordError) = Credentials.CheckPassword(fields.NewPassword);
        if (password is null)
        {
            return Problems.Invalid("new_password", passwordError!);
        }

        var result = await resets.ResetAsync(fields.Token ?? string.Empty, fields.NewPassword!, cancellationToken);
        return result switch
        {
            { Done: true } => TypedResults.NoContent(),
            { PasswordRefusal: { } refusal } => Problems.Invalid("new_password", refusal),
            _ => EmailEndpoints.InvalidToken(),
        };
    }
}
