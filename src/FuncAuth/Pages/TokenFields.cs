using static FuncAuth.Pages.PageLayout;

namespace FuncAuth.Pages;

/// <summary>
/// The token part of a page's form: the hidden field the script fills from the link's fragment, and the box to paste
/// it by hand, visible unless the token is known (without a script, or with a link whose fragment was lost, the box
/// is how the form still works).
/// </summary>
internal static class TokenFields
{
    public const string ErrorId = "token-error";

    private const string EnteredId = "token-entered";
    private const string HintId = "token-entered-hint";

    /// <summary><paramref name="token"/>: a token already known (a form shown again); <paramref name="inError"/>: the alert is about it.</summary>
    public static string Render(string? token, bool inError)
    {
        var known = token is not null && !inError;
        return HiddenToken(PageForm.TokenField, known ? token : null) + Field(
            EnteredId,
            PageForm.EnteredTokenField,
            "text",
            "Code from the link",
            "off",
            required: false,
            errorId: inError ? ErrorId : null,
            hint: "Open the link from the email again, or paste here everything in it after \"#token=\".",
            hintId: HintId,
            wrapperAttributes: known ? "data-funcauth-token-fallback hidden" : "data-funcauth-token-fallback");
    }
}
