using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

// What a team would do instead of calling FuncAuth's verify: validate the same token in-process with the
// standard middleware, configured as the README says (no revocation check at all). Started by bench/run.
//   Bench:Issuer      FuncAuth's issuer, its base URL: the authority whose discovery document names the keys.
//   Bench:Audience    the tokens' audience (FuncAuth's default: funcauth).
//   Bench:HmacKey     only for HS256: FuncAuth publishes no symmetric keys, so the API must share the secret
//   Bench:HmacKeyId   (base64, as FuncAuth:Tokens:SigningKey) and is told the token's kid.
var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("Bench");
var issuer = settings["Issuer"] ?? throw new InvalidOperationException("Set Bench:Issuer to FuncAuth's issuer URL.");
var hmacKey = settings["HmacKey"];

builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
{
    options.Audience = settings["Audience"] ?? "funcauth";
    options.MapInboundClaims = false;
    options.TokenValidationParameters.ValidTypes = ["at+jwt"];
    if (string.IsNullOrEmpty(hmacKey))
    {
        options.Authority = issuer;
        options.RequireHttpsMetadata = false; // FuncAuth answers plain HTTP on loopback in the benchmark
    }
    else
    {
        options.TokenValidationParameters.ValidIssuer = issuer;
        options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        options.TokenValidationParameters.IssuerSigningKey =
            new SymmetricSecurityKey(Convert.FromBase64String(hmacKey)) { KeyId = settings["HmacKeyId"] };
    }
});
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("protected", () => Results.Ok()).RequireAuthorization();
await app.RunAsync();
