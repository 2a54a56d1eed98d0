using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FuncAuth.LoadRunner;

/// <summary>The password hash kinds the import step mixes 1:1:1:1, as another system would hand them over.</summary>
internal enum ImportedHash
{
    Bcrypt,
    IdentityV3,
    IdentityV2,
    Native,
}

/// <summary>
/// The import step's users: generated as ndjson while they are sent, every one with <see cref="Apps.Password"/>, its hash
/// kind by its number (i % 4), an address each, confirmed for every other one. One hash per kind is computed up front and
/// shared (salts included): import stores a hash without verifying it, so computing 20,000 would only measure the suite.
/// </summary>
internal sealed class ImportUsers(string prefix, int count)
{
    private readonly Dictionary<ImportedHash, string> _hashes = new()
    {
        [ImportedHash.Bcrypt] = BCrypt.Net.BCrypt.HashPassword(Apps.Password, workFactor: 10),
        [ImportedHash.IdentityV3] = IdentityV3(Apps.Password),
        [ImportedHash.IdentityV2] = IdentityV2(Apps.Password),
        [ImportedHash.Native] = Native(Apps.Password),
    };

    public int Count => count;

    public static ImportedHash KindOf(int i) => (ImportedHash)(i % 4);

    public string Username(int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D6}");

    /// <summary>The <paramref name="n"/>th imported user of a kind (n from 0).</summary>
    public string UsernameOf(ImportedHash kind, int n) => Username((n * 4) + (int)kind);

    public static string Describe(ImportedHash kind) => kind switch
    {
        ImportedHash.Bcrypt => "bcrypt ($2a$, cost 10)",
        ImportedHash.IdentityV3 => "Identity V3 (PBKDF2-HMAC-SHA512, 100,000 iterations: Identity's default today)",
        ImportedHash.IdentityV2 => "Identity V2 (PBKDF2-HMAC-SHA1, 1,000 iterations)",
        _ => $"native ($pbkdf2-sha256$, {Settings.PasswordIterations:N0} iterations)",
    };

    /// <summary>The request body: lines written as the request is sent, never the whole file in memory.</summary>
    public HttpContent Content() => new Lines(this);

    private string Line(int i) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["username"] = Username(i),
        ["email"] = string.Create(CultureInfo.InvariantCulture, $"{Username(i)}@bench.example"),
        ["email_confirmed"] = i % 2 == 0,
        ["password_hash"] = _hashes[KindOf(i)],
    });

    /// <summary>ASP.NET Core Identity's V3 format: 0x01, PRF, iterations, salt length (big-endian uint32s), salt, subkey.</summary>
    private static string IdentityV3(string password)
    {
        const int iterations = 100_000;
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, 32);
        var bytes = new byte[13 + salt.Length + subkey.Length];
        bytes[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), 2); // KeyDerivationPrf.HMACSHA512
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), iterations);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(9), (uint)salt.Length);
        salt.CopyTo(bytes, 13);
        subkey.CopyTo(bytes, 13 + salt.Length);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Identity's V2 format: 0x00, a 16-byte salt, a 32-byte PBKDF2-HMAC-SHA1 subkey at 1,000 iterations.</summary>
    private static string IdentityV2(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1000, HashAlgorithmName.SHA1, 32);
        return Convert.ToBase64String([0x00, .. salt, .. subkey]);
    }

    /// <summary>FuncAuth's own format, as its PasswordHasher writes it.</summary>
    private static string Native(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Settings.PasswordIterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"$pbkdf2-sha256$i={Settings.PasswordIterations}${Base64Url.EncodeToString(salt)}${Base64Url.EncodeToString(hash)}");
    }

    private sealed class Lines : HttpContent
    {
        private readonly ImportUsers _users;

        public Lines(ImportUsers users)
        {
            _users = users;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson") { CharSet = "utf-8" };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = new StringBuilder();
            for (var i = 0; i < _users.Count; i++)
            {
                buffer.Append(_users.Line(i)).Append('\n');
                if (buffer.Length > 32 * 1024 || i == _users.Count - 1)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(buffer.ToString()));
                    buffer.Clear();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
