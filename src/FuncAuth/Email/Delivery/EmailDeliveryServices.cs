using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Email.Delivery;

internal static class EmailDeliveryServices
{
    /// <summary>The outbox, its dispatcher and the transport (SMTP, or .eml files in Development).</summary>
    public static IServiceCollection AddEmailDelivery(this IServiceCollection services, IConfiguration configuration) => services;
}
