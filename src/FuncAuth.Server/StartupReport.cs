using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace FuncAuth.Server;

/// <summary>
/// Starts the app and, if it cannot start, answers one line saying why: the settings that are wrong (every one the
/// start-up validation found), or the address that is already in use. Without this a bad setting printed its message
/// twice inside about 35 lines of stack and the process aborted (exit 134), and a busy port added a misleading
/// "BackgroundService failed" for the sync that the failed start had cancelled. Anything else is printed whole.
/// </summary>
internal sealed class StartupReport
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private const string LifetimeCategory = "Microsoft.Hosting.Lifetime";

    private volatile bool _starting;
    private volatile bool _failed;

    /// <summary>
    /// Filters the host's own lines (at the usual Information and above): while the host starts, its error about a
    /// failed start is left to <see cref="StartAsync"/>, which prints it (whole, or as one line); once the start has
    /// failed, the stop that follows logs nothing. The rest of the app's logging is left as configured.
    /// </summary>
    public void FilterHostLogs(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddFilter(HostCategory, level => level >= LogLevel.Information && !_failed && !(_starting && level >= LogLevel.Error));
        logging.AddFilter(LifetimeCategory, level => level >= LogLevel.Information && !_failed);
    }

    /// <summary>Starts the app; null when it runs, otherwise the line to print before exiting with 1.</summary>
    public async Task<string?> StartAsync(WebApplication app)
    {
        _starting = true;
        try
        {
            await app.StartAsync();
            return null;
        }
        catch (Exception e)
        {
            _failed = true;

            // Stopping marks the host as stopped before its services are disposed, so the background services the
            // failed start had begun end as cancelled, not as failures.
            try
            {
                await app.StopAsync();
            }
            catch (Exception stop) when (stop is OperationCanceledException or AggregateException or InvalidOperationException or IOException)
            {
                // Exiting anyway, with the start's failure as the reason.
            }

            return Describe(e);
        }
        finally
        {
            _starting = false;
        }
    }

    /// <summary>One line for the failures people cause (settings, a port in use); the whole exception otherwise.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var validations = exception is AggregateException aggregate ? aggregate.InnerExceptions : [exception];
        if (validations.All(v => v is OptionsValidationException))
        {
            var failures = validations.Cast<OptionsValidationException>().SelectMany(v => v.Failures);
            return OneLine("FuncAuth did not start: " + string.Join(" ", failures));
        }

        if (exception is IOException { InnerException: AddressInUseException } bind)
        {
            // Kestrel's own message names the address: "Failed to bind to address http://127.0.0.1:7071: address already in use."
            return OneLine($"FuncAuth did not start: {bind.Message} Stop what listens there, or set another address with ASPNETCORE_URLS or --urls.");
        }

        return "FuncAuth did not start: " + exception;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
