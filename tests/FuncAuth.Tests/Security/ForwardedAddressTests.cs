using FuncAuth.Http;
using Microsoft.Extensions.Primitives;

namespace FuncAuth.Tests.Security;

/// <summary>The client address a trusted proxy appended: the last element of the header's list, in each form proxies write.</summary>
public sealed class ForwardedAddressTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("  203.0.113.7\t", "203.0.113.7")]
    [InlineData("203.0.113.7:51234", "203.0.113.7")] // Application Gateway: the client's port too
    [InlineData("0.0.0.0:0", "0.0.0.0")]
    [InlineData("255.255.255.255:65535", "255.255.255.255")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    [InlineData("[::ffff:192.0.2.1]:80", "::ffff:192.0.2.1")]
    [InlineData("10.9.9.9, 198.18.0.5", "198.18.0.5")]
    [InlineData("10.9.9.9,198.18.0.5:1", "198.18.0.5")]
    [InlineData("not an address, 198.18.0.5", "198.18.0.5")]
    [InlineData("[2001:db8::9]:1, 2001:db8::5", "2001:db8::5")]
    public void The_last_element_is_read_in_every_form(string header, string expected)
    {
        Assert.True(ForwardedAddress.TryParse(new StringValues(header), out var address));
        Assert.Equal(expected, address!.ToString());
    }

    [Fact]
    public void Several_header_lines_are_one_list_whose_last_element_counts()
    {
        Assert.True(ForwardedAddress.TryParse(new StringValues(["1.2.3.4, 5.6.7.8", "9.9.9.9:1234, 198.18.0.5"]), out var address));
        Assert.Equal("198.18.0.5", address!.ToString());

        // A valid earlier line never stands in for a last element that holds no address.
        Assert.False(ForwardedAddress.TryParse(new StringValues(["198.18.0.5", "garbage"]), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("198.18.0.5,")] // the last element is empty: not the one before it
    [InlineData("198.18.0.5, unknown")]
    [InlineData("1")] // IPAddress.TryParse would take these: no proxy writes them
    [InlineData("1.2.3")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("010.0.0.1")]
    [InlineData("1.2.3.4.")]
    [InlineData("1..2.3")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4:")]
    [InlineData("1.2.3.4:65536")]
    [InlineData("1.2.3.4:123456")]
    [InlineData("1.2.3.4:-1")]
    [InlineData("1.2.3.4:80:80")]
    [InlineData("1.2.3.4 :80")]
    [InlineData("1.2.3. 4")]
    [InlineData("[1.2.3.4]")]
    [InlineData("[1.2.3.4]:80")]
    [InlineData("[2001:db8::1")]
    [InlineData("[2001:db8::1]80")]
    [InlineData("[2001:db8::1]:")]
    [InlineData("[[2001:db8::1]]")]
    [InlineData("2001:db8::1:80:80:80:80:80:80")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[fe80::1%25eth0]:80")]
    [InlineData("2001:db8::g")]
    [InlineData("for=192.0.2.60;proto=http")] // RFC 7239 Forwarded: not this header's syntax
    [InlineData("_hidden")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001:2001:0db8:0000:0000:0001")]
    public void Anything_else_in_the_last_element_is_no_address(string header)
    {
        Assert.False(ForwardedAddress.TryParse(new StringValues(header), out var address));
        Assert.Null(address);
    }

    [Fact]
    public void No_header_is_no_address() => Assert.False(ForwardedAddress.TryParse(StringValues.Empty, out _));
}
