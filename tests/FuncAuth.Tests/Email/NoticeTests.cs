using System.Net;
using FuncAuth.Tests.Email.Addresses;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Email;

/// <summary>
/// The notices: a password change tells the confirmed address, with no link; the sign-in notice is off by default and,
/// when on, tells the confirmed address of each sign-in; an unconfirmed address (maybe someone else's) is told nothing.
/// </summary>
public sealed class NoticeTests(StorageFixture storage) : MailTests
{
    [Fact]
    public async Task A_password_change_is_told_to_the_confirmed_address_without_a_link_and_sign_ins_are_not_by_default()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        var (access, _) = await client.RegisterConfirmedAsync(Smtp, username, email);

        using (var changed = await client.ChangePasswordAsync(access, EmailClient.Password, "changed the usual way"))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        var notice = (await Smtp.WaitForAsync(m => m.IsTo(email) && m.Says("was changed")))[0];
        Assert.DoesNotContain("#token=", notice.Raw, StringComparison.Ordinal);
        await MailFlow.OutboxDrainedAsync(app);

        // The sign-ins so far (the one in RegisterConfirmedAsync among them) sent nothing: the notice is off by default.
        Assert.DoesNotContain(Smtp.Received, m => m.IsTo(email) && m.Says("sign-in"));
    }

    [Fact]
    public async Task With_the_sign_in_notice_on_a_sign_in_is_told_to_the_confirmed_address_only()
    {
        await using var app = MailFlow.App(storage, Smtp, new Dictionary<string, string?> { ["FuncAuth:Email:SignInNotice"] = "true" });
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        var (unconfirmedName, unconfirmed) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        await client.RegisterConfirmedAsync(Smtp, username, email);
        await client.RegisterWithEmailAsync(unconfirmedName, unconfirmed);
        await client.StartSessionAsync(unconfirmedName);

        await Smtp.WaitForAsync(m => m.IsTo(email) && m.Says("New sign-in"));
        await MailFlow.OutboxDrainedAsync(app);
        Assert.DoesNotContain(Smtp.Received, m => m.IsTo(unconfirmed) && m.Says("New sign-in"));
    }
}
