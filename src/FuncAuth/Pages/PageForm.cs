using System.ComponentModel;
using System.Text.Json.Serialization;
using FuncAuth.Http;

namespace FuncAuth.Pages;

/// <summary>A form a page posted: each field at most once (a repeated field makes the form unreadable, not ambiguous).</summary>
internal sealed class PageForm
{
    /// <summary>The hidden field the script fills from the link's fragment.</summary>
    public const string TokenField = "token";

    /// <summary>The visible box, shown when the page has no fragment to read (no script, or a link cut short).</summary>
    public const string EnteredTokenField = "token_entered";

    public const string NewPasswordField = "new_password";

    public const string ConfirmPasswordField = "confirm_password";

    private readonly Dictionary<string, string> _fields;

    private PageForm(Dictionary<string, string> fields) => _fields = fields;

    /// <summary>The token: the one typed in the box when there is one (it is only shown when needed), else the hidden one's.</summary>
    public string? Token =>
        this[EnteredTokenField]?.Trim() is { Length: > 0 } entered ? entered
        : this[TokenField] is { Length: > 0 } hidden ? hidden
        : null;

    public string? this[string name] => _fields.GetValueOrDefault(name);

    /// <summary>The form, or null when it is not UTF-8 form encoding or names a field twice.</summary>
    public static PageForm? Read(byte[] body)
    {
        if (RequestBody.ParseForm(body) is not { } pairs)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            if (!fields.TryAdd(name, value))
            {
                return null;
            }
        }

        return new PageForm(fields);
    }
}

/// <summary>What the confirm-email page posts (described in the OpenAPI document; read with <see cref="PageForm"/>).</summary>
internal sealed record ConfirmEmailForm(
    [property: JsonPropertyName(PageForm.TokenField), Description("The token of the link (the page's script copies it from the URL fragment).")]
    string? Token,
    [property: JsonPropertyName(PageForm.EnteredTokenField), Description("The token typed or pasted by hand, when the page had no fragment to read; used when not empty.")]
    string? TokenEntered);

/// <summary>What the reset-password page posts.</summary>
internal sealed record ResetPasswordForm(
    [property: JsonPropertyName(PageForm.TokenField), Description("The token of the link (the page's script copies it from the URL fragment).")]
    string? Token,
    [property: JsonPropertyName(PageForm.EnteredTokenField), Description("The token typed or pasted by hand, when the page had no fragment to read; used when not empty.")]
    string? TokenEntered,
    [property: JsonPropertyName(PageForm.NewPasswordField), Description("The new password (the rules of registration).")]
    string NewPassword,
    [property: JsonPropertyName(PageForm.ConfirmPasswordField), Description("The new password again; refused when it differs, before the token is looked at.")]
    string ConfirmPassword);
