using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Pages;

internal static class PageServices
{
    /// <summary>The pages FuncAuth serves itself.</summary>
    public static IServiceCollection AddFuncAuthPages(this IServiceCollection services) => services;
}
