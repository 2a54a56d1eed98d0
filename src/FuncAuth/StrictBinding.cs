using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncAuth;

/// <summary>
/// Binding that fails like a validation. The configuration binder's own error quotes the value (which may be a
/// secret) and, for options read only when a request needs them, surfaces as a 500 at that request. This check
/// runs before the binder, so with <c>ValidateOnStart</c> an unreadable value stops start-up naming the setting.
/// </summary>
internal static class StrictBinding
{
    public static OptionsBuilder<TOptions> BindStrictly<TOptions>(this OptionsBuilder<TOptions> builder, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        var section = configuration.GetSection(sectionName);

        // Its properties are the settings the start-up check of unknown keys knows under this section.
        builder.Services.AddSingleton(new BoundSection(sectionName, typeof(TOptions)));
        return builder.Configure(_ => ThrowIfUnreadable<TOptions>(builder.Name, section, sectionName)).Bind(section);
    }

    /// <summary>
    /// Binds a section that is itself an array of objects (<c>FuncAuth:Clients:0:ClientId</c>, …) into
    /// <paramref name="list"/>, each element checked as <see cref="BindStrictly{TOptions}"/> checks a section; the
    /// start-up check of unknown keys then knows <c>{sectionName}:N:{property}</c> for every N.
    /// </summary>
    public static OptionsBuilder<TOptions> BindListStrictly<TOptions, TElement>(
        this OptionsBuilder<TOptions> builder, IConfiguration configuration, string sectionName, Func<TOptions, IList<TElement>> list,
        Action<TElement, string>? located = null)
        where TOptions : class
        where TElement : class, new()
    {
        var section = configuration.GetSection(sectionName);
        builder.Services.AddSingleton(new BoundSection(sectionName, typeof(TElement), IsList: true));
        return builder.Configure(options =>
        {
            var elements = list(options);
            foreach (var child in section.GetChildren())
            {
                ThrowIfUnreadable<TElement>(builder.Name, child, child.Path);
                var element = child.Get<TElement>() ?? new TElement();

                // Where the element was read from, so a refusal names the setting as it was written (:0, :2 …).
                located?.Invoke(element, child.Path);
                elements.Add(element);
            }
        });
    }

    private static void ThrowIfUnreadable<TOptions>(string name, IConfiguration section, string sectionName)
    {
        var failures = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties().Where(p => p.CanWrite))
        {
            try
            {
                // The binder's own conversion, one setting at a time, so the failure can name it.
                section.GetValue(property.PropertyType, property.Name);
            }
            catch (InvalidOperationException)
            {
                failures.Add($"{sectionName}:{property.Name} {Expected(property.PropertyType)}");
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(name, typeof(TOptions), failures);
        }
    }

    private static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => "must be true or false.",
        var t when t == typeof(int) => "must be a whole number.",
        var t when t == typeof(TimeSpan) => "must be a time span such as 01:00:00 ([d.]hh:mm:ss).",
        var t when t == typeof(Uri) => "must be a URI.",
        var t => $"cannot be read as {t.Name}.",
    };
}
