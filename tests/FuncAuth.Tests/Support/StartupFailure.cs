using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Support;

/// <summary>
/// Starts an app of its own (not the factory's, so a failed start is reported as it happened) with the given
/// settings over sound defaults, and answers the message that stopped it.
/// </summary>
public static class StartupFailure
{
    public static async Task<string> MessageAsync(string connectionString, string environment, IDictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var settings = new Dictionary<string, string?>
        {
            ["FuncAuth:Storage:ConnectionString"] = connectionString,
            ["FuncAuth:Tokens:SigningKey"] = FuncAuthApp.SigningKey,
            ["FuncAuth:Passwords:Iterations"] = environment == "Development" ? "1000" : "600000",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFuncAuth(builder.Configuration);
        await using var app = builder.Build();
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        return failure.Message;
    }
}
