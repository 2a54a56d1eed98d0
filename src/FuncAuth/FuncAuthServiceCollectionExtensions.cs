using System.Text.Encodings.Web;
using FuncAuth;
using FuncAuth.Accounts;
using FuncAuth.Admin;
using FuncAuth.Authorization;
using FuncAuth.Clients;
using FuncAuth.Email;
using FuncAuth.Email.Delivery;
using FuncAuth.Http;
using FuncAuth.Import;
using FuncAuth.Mfa;
using FuncAuth.OpenIdConnect;
using FuncAuth.Pages;
using FuncAuth.Passkeys;
using FuncAuth.Revocation;
using FuncAuth.Sessions;
using FuncAuth.SingleSignOn;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class FuncAuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers FuncAuth: options bound from the <c>FuncAuth</c> section and validated at start-up (a bad
    /// setting stops the app with a message that names it), the Table Storage stores, keys, tokens and endpoints.
    /// </summary>
    public static IServiceCollection AddFuncAuth(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StorageOptions>().BindStrictly(configuration, StorageOptions.SectionName).ValidateOnStart();
        services.AddOptions<TokenOptions>().BindStrictly(configuration, TokenOptions.SectionName).ValidateOnStart();
        services.AddOptions<PasswordOptions>().BindStrictly(configuration, PasswordOptions.SectionName).ValidateOnStart();
        services.AddOptions<RegistrationOptions>().BindStrictly(configuration, RegistrationOptions.SectionName).ValidateOnStart();
        services.AddOptions<RevocationOptions>().BindStrictly(configuration, RevocationOptions.SectionName).ValidateOnStart();
        services.AddOptions<ThrottlingOptions>().BindStrictly(configuration, ThrottlingOptions.SectionName).ValidateOnStart();
        services.AddOptions<LockoutOptions>().BindStrictly(configuration, LockoutOptions.SectionName).ValidateOnStart();
        services.AddOptions<SessionOptions>().BindStrictly(configuration, SessionOptions.SectionName).ValidateOnStart();
        services.AddOptions<DocsOptions>().BindStrictly(configuration, DocsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasswordOptions>, PasswordOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RevocationOptions>, RevocationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionOptions>, SessionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LockoutOptions>, LockoutOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ThrottlingOptions>, ThrottlingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TokenOptions>, DevelopmentSigningKey>());
        services.AddFuncAuthSetting(LocalDataFolder.SettingName);
        services.AddOptions<SettingNamesCheck>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SettingNamesCheck>>(sp => new UnknownSettings(
            configuration, sp.GetServices<BoundSection>(), sp.GetServices<DirectSetting>()));

        // Text a client sent (a username, say) comes back with <, >, &, ' and non-ASCII escaped, as the serializer's
        // default does: valid JSON either way, and never markup a browser could be talked into reading as HTML.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = JavaScriptEncoder.Default);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FuncAuthTables>();
        services.TryAddSingleton<UserStore>();
        services.TryAddSingleton<PasswordHasher>();
        services.TryAddSingleton<LegacyPasswordForm>();
        services.TryAddSingleton<LoginAttempts>();
        services.TryAddSingleton<PasswordPolicy>();
        services.TryAddSingleton<PasswordWork>();
        services.TryAddSingleton<GuardedPasswordCheck>();
        services.TryAddSingleton<AccountService>();
        services.TryAddSingleton<PasswordSignIn>();
        services.TryAddSingleton<SignInCompletion>();
        services.TryAddSingleton<SigningKeys>();
        services.TryAddSingleton<TokenIssuer>();
        services.TryAddSingleton<AccessTokenValidator>();
        services.TryAddSingleton<RevocationTable>();
        services.TryAddSingleton<RevocationCache>();
        services.TryAddSingleton<Revocations>();
        services.TryAddSingleton<RevocationSync>();
        services.AddHostedService(sp => sp.GetRequiredService<RevocationSync>());
        services.AddHostedService<RevocationPurge>();
        services.TryAddSingleton<SessionStore>();
        services.TryAddSingleton<SessionService>();
        services.AddHostedService<SessionPurge>();
        services.AddHostedService<LoginAttemptsPurge>();
        services.TryAddSingleton<BearerAuthentication>();
        services.TryAddSingleton<ClientThrottle>();
        services.TryAddSingleton<FuncAuthOpenApi>();

        // The runner, and the classes whose instances hold the handlers it runs (see FuncAuthEndpoints).
        services.TryAddSingleton(sp => new EndpointRunner(
            sp, sp.GetRequiredService<ClientThrottle>(), sp.GetRequiredService<ILogger<EndpointRunner>>()));
        services.TryAddSingleton<AccountEndpoints>();
        services.TryAddSingleton<VerifyEndpoints>();
        services.TryAddSingleton<OAuthEndpoints>();
        services.TryAddSingleton<SessionEndpoints>();
        services.TryAddSingleton<DiscoveryEndpoints>();
        services.TryAddSingleton<HealthEndpoints>();
        services.TryAddSingleton<OpenApiEndpoints>();

        // Email (addresses, confirmation, recovery, the outbox) and the pages FuncAuth serves.
        services.AddEmailAddresses(configuration);
        services.AddEmailDelivery(configuration);
        services.AddEmailAccounts(configuration);
        services.AddFuncAuthPages();

        // Browser sign-in: registered clients, the authorization endpoint and its codes, OpenID Connect (ID tokens,
        // userinfo), and single sign-on (the hosted sign-in pages, their cookie, end-session).
        services.AddFuncAuthClients(configuration);
        services.AddFuncAuthAuthorization(configuration);
        services.AddFuncAuthOpenIdConnect(configuration);
        services.AddFuncAuthSingleSignOn(configuration);

        // A second factor (TOTP, recovery codes) and passkeys.
        services.AddFuncAuthMfa(configuration);
        services.AddFuncAuthPasskeys(configuration);

        // Operating it: roles, the first administrators, the admin API and importing users from another system.
        services.AddFuncAuthAdmin(configuration);
        services.AddFuncAuthUserImport();

        return services;
    }
}
