using FuncAuth;

namespace Microsoft.Extensions.DependencyInjection;

public static class FuncAuthSettingServiceCollectionExtensions
{
    /// <summary>
    /// Declares a key under <c>FuncAuth:</c> that the host reads from configuration itself (not through FuncAuth's
    /// options), so the start-up check that refuses unknown <c>FuncAuth:</c> keys accepts it.
    /// </summary>
    public static IServiceCollection AddFuncAuthSetting(this IServiceCollection services, string key)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return services.AddSingleton(new DirectSetting(key));
    }
}
