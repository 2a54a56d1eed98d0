using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The Functions host of FuncAuth: ASP.NET Core integration, so functions take HttpRequest and return IResult,
// and the same core (AddFuncAuth) as the Kestrel host. No logic belongs here.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

builder.Services.AddFuncAuth(builder.Configuration);
builder.Services.AddProblemDetails();

builder.Build().Run();
