using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using FuncAuth.Http;
using FuncAuth.Pages;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Pages;

/// <summary>
/// The pages over HTTP, without a browser: their headers, their markup's accessibility and safety, the caching of their
/// assets, and what a POST that is not the page's own form gets. None of these reaches the confirmation or reset flows.
/// </summary>
public sealed partial class PageHttpTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    private const string Form = "application/x-www-form-urlencoded";

    [Theory]
    [InlineData(FuncAuthRoutes.ConfirmEmailPage)]
    [InlineData(FuncAuthRoutes.ResetPasswordPage)]
    public async Task A_page_is_html_with_a_strict_content_security_policy_and_is_never_stored(string route)
    {
        using var response = await Client.GetAsync(route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(
            "default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData(FuncAuthRoutes.ConfirmEmailPage, 1)]
    [InlineData(FuncAuthRoutes.ResetPasswordPage, 3)]
    public async Task A_page_has_a_language_a_main_one_heading_a_label_for_every_input_and_nothing_inline(string route, int visibleInputs)
    {
        var html = await Client.GetStringAsync(route);

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<main>"));
        Assert.Single(Regex.Matches(html, "<h1>"));

        // Every input but the hidden token has a label naming it.
        var inputs = InputPattern().Matches(html).Select(m => m.Value).ToList();
        var visible = inputs.Where(i => !i.Contains("type=\"hidden\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(visibleInputs, visible.Count);
        Assert.All(visible, input =>
        {
            var id = IdPattern().Match(input).Groups[1].Value;
            Assert.Contains($"<label for=\"{id}\">", html, StringComparison.Ordinal);
        });
        Assert.Single(inputs, i => i.Contains("type=\"hidden\" name=\"token\" value=\"\"", StringComparison.Ordinal));

        // One stylesheet and one script, both this app's, versioned; no inline script, style or handler.
        Assert.Single(Regex.Matches(html, "<link rel=\"stylesheet\" href=\"/auth/assets/funcauth\\.css\\?v=[A-Za-z0-9_-]{16}\">"));
        Assert.Single(Regex.Matches(html, "<script src=\"/auth/assets/funcauth\\.js\\?v=[A-Za-z0-9_-]{16}\" defer></script>"));
        Assert.Single(Regex.Matches(html, "<script"));
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(" on[a-z]+=", html);
        Assert.Contains($"<form method=\"post\" action=\"/{route}\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reset_form_asks_for_a_new_password_twice_as_a_password_manager_expects()
    {
        var html = await Client.GetStringAsync(FuncAuthRoutes.ResetPasswordPage);
        var passwords = InputPattern().Matches(html).Select(m => m.Value).Where(i => i.Contains("type=\"password\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, passwords.Count);
        Assert.All(passwords, p => Assert.Contains("autocomplete=\"new-password\" required", p, StringComparison.Ordinal));
        Assert.Contains("name=\"new_password\"", passwords[0], StringComparison.Ordinal);
        Assert.Contains("name=\"confirm_password\"", passwords[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FuncAuthRoutes.PageStylesheet, "text/css")]
    [InlineData(FuncAuthRoutes.PageScript, "text/javascript")]
    public async Task The_assets_are_cacheable_for_good_at_their_versioned_address_and_answer_304_to_a_current_copy(string route, string mediaType)
    {
        var page = await Client.GetStringAsync(FuncAuthRoutes.ResetPasswordPage);
        var versioned = Regex.Match(page, $"\"/({Regex.Escape(route)}\\?v=[A-Za-z0-9_-]+)\"").Groups[1].Value;
        Assert.NotEmpty(versioned);

        using var response = await Client.GetAsync(versioned);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var entityTag = response.Headers.ETag;
        Assert.NotNull(entityTag);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());

        // Any other address (no version, or another one) is kept but revalidated: a deployment never pins old content.
        using var unversioned = await Client.GetAsync(route + "?v=older");
        Assert.Equal("public, no-cache", unversioned.Headers.CacheControl?.ToString());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, route);
        conditional.Headers.IfNoneMatch.Add(entityTag);
        using var notModified = await Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(FuncAuthRoutes.ConfirmEmailPage)]
    [InlineData(FuncAuthRoutes.ResetPasswordPage)]
    public async Task A_cross_site_post_is_refused_before_the_token_is_looked_at(string route)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route)
        {
            Content = new FormUrlEncodedContent([new("token", "some-token"), new("new_password", "correct horse battery staple"), new("confirm_password", "correct horse battery staple")]),
        };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(App.Logs.Lines, l => l.Contains("CrossSitePageSubmissionRefused", StringComparison.Ordinal) || l.Contains($"posted the form of /{route}", StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Lines, l => l.Contains("some-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_forms_take_only_form_encoding()
    {
        using var json = await Client.PostAsync(FuncAuthRoutes.ResetPasswordPage, new StringContent("{\"token\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        using var problem = await json.JsonAsync();
        Assert.Equal("Send the form as application/x-www-form-urlencoded (UTF-8).", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Passwords_that_differ_show_the_form_again_with_the_error_tied_to_the_field_and_the_token_encoded()
    {
        // A same-origin POST (as the browser sends it from the page) with a token that is not HTML: it comes back encoded.
        const string token = "a\"><script>alert(1)</script>";
        using var request = new HttpRequestMessage(HttpMethod.Post, FuncAuthRoutes.ResetPasswordPage)
        {
            Content = new FormUrlEncodedContent([new("token", token), new("new_password", "correct horse battery staple"), new("confirm_password", "correct horse battery")]),
        };
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<p class=\"alert\" role=\"alert\" id=\"confirm-password-error\">{PageLayout.Encode(ResetPasswordPage.Mismatch)}</p>", html, StringComparison.Ordinal);
        Assert.Matches("<input type=\"password\" id=\"confirm-password\"[^>]* aria-invalid=\"true\" aria-describedby=\"confirm-password-error\">", html);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{PageLayout.Encode(token)}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FuncAuthRoutes.ConfirmEmailPage, "token=a&token=b")]
    [InlineData(FuncAuthRoutes.ResetPasswordPage, "token=%FF&new_password=x&confirm_password=x")]
    public async Task A_form_that_cannot_be_read_shows_the_form_again_with_an_alert(string route, string body)
    {
        using var response = await Client.PostAsync(route, new StringContent(body, Encoding.UTF8, Form) { Headers = { ContentType = new MediaTypeHeaderValue(Form) } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains(PageLayout.Encode(ResetPasswordPage.Unreadable), html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FuncAuthRoutes.ConfirmEmailPage)]
    [InlineData(FuncAuthRoutes.ResetPasswordPage)]
    public async Task A_form_without_a_token_asks_for_it_with_the_box_shown_and_described_by_the_alert(string route)
    {
        using var response = await Client.PostAsync(route, new FormUrlEncodedContent([new("token", ""), new("new_password", "x y z w v u"), new("confirm_password", "x y z w v u")]));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"id=\"token-error\">{PageLayout.Encode(ResetPasswordPage.MissingToken)}</p>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"field\" data-funcauth-token-fallback>", html, StringComparison.Ordinal);
        Assert.Matches("<input type=\"text\" id=\"token-entered\"[^>]* aria-invalid=\"true\" aria-describedby=\"token-error token-entered-hint\">", html);
    }

    [GeneratedRegex("<input [^>]*>")]
    private static partial Regex InputPattern();

    [GeneratedRegex("id=\"([^\"]+)\"")]
    private static partial Regex IdPattern();
}
