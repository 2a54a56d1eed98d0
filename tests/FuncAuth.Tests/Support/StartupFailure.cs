using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Support;

/// <summary>
/// Starts an app of its own (not the factory's, so a failed start is reported as it happened) with the given
/// settings over sound defaults, and answers what stopped it. Outside Development, storage is an https
/// endpoint that is never reached: start-up fails before any call.
/// </summary>
public static class StartupFailure
{
    public const string Development = "Development";

    public static async Task<string> MessageAsync(string connectionString, string environment, IDictionary<string, string?> overrides) =>
        (await ThrowsAsync<OptionsValidationException>(connectionString, environment, overrides)).Message;

    public static async Task<TException> ThrowsAsync<TException>(string connectionString, string environment, IDictionary<string, string?> overrides)
        where TException : Exception
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var development = environment == Development;
        var settings = new Dictionary<string, string?>
        {
            ["FuncAuth:Storage:ConnectionString"] = development ? connectionString : null,
            ["FuncAuth:Storage:TableServiceUri"] = development ? null : "https://funcauthtests.table.core.windows.net",
            ["FuncAuth:Tokens:SigningKey"] = FuncAuthApp.SigningKey,
            ["FuncAuth:Passwords:Iterations"] = development ? "1000" : "600000",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFuncAuth(builder.Configuration);
        await using var app = builder.Build();
        return await Assert.ThrowsAsync<TException>(() => app.StartAsync());
    }
}
