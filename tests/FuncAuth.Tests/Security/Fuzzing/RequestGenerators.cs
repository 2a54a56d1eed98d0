using FsCheck;
using FsCheck.Fluent;
using FuncAuth.Http;

namespace FuncAuth.Tests.Security.Fuzzing;

/// <summary>The generators: requests over every route, and parameter sets for the token endpoint.</summary>
public static class RequestGenerators
{
    public const string DocsPath = "docs";

    /// <summary>Account deletion, where the build has it: a 204 there removes the pool user's account.</summary>
    public const string AccountPath = "api/auth/account";

    public static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    public static readonly string[] UnknownPaths =
    [
        "", "api", "api/auth", "api/auth/nothing-here", "api/auth/register/extra", "api/auth/sessions/a/b", ".well-known/unknown",
        "api/openapi.yaml", "favicon.ico", "docs/nothing-here", "API/AUTH/LOGIN", "api/auth/login/", "api//auth//verify",
        "api/auth/%2e%2e/health", "api/health%20", "api/auth/%ED%A0%80", "api/auth/%E2%80%AEnigol",
    ];

    private static readonly char[] WordCharacters = [.. "abcdefghijklmnopqrstuvwxyz0123456789-_."];

    private static readonly string[] JsonTypes =
        ["application/json", "application/json; charset=utf-8", "application/json; charset=\"UTF-8\"", "Application/JSON;charset=Utf-8"];

    private static readonly string[] FormTypes =
        ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded;charset=\"utf-8\""];

    private static readonly string[] OtherContentTypes =
    [
        "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/json; charset=", "application/json; charset=\"\"",
        "application/json; charset=utf8", "application/json;;", "application/json; charset=utf-8; charset=iso-8859-1", "application/json, text/plain",
        "application/x-www-form-urlencoded; charset=latin1", "application/x-www-form-urlencoded, application/json", "text/plain",
        "text/plain; charset=utf-8", "multipart/form-data", "multipart/form-data; boundary=fuzz", "application/problem+json",
        "application/jwt", "text/html", "garbage", "/", "application/", ";", "", " ", "*/*", "application/json\t",
        "application/json; charset=\"utf-8", "application/json; charset=utf-8\"", "application/json; boundary=\u00ff",
        "application/\u202Ejson", "application/json; charset=\uD800",
    ];

    private static readonly string[] Accepts =
    [
        "application/json", "application/problem+json", "*/*", "text/html", "text/plain", "application/xml",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json;q=0", "image/*", ";;", "",
        "application/*", "application/jwk-set+json", "*/*;q=0", "application/problem+xml", "text/*",
    ];

    private static readonly string[] Schemes = ["Bearer", "bearer", "Basic", "Digest", "Negotiate", "DPoP", "Token", "JWT", "", "Bearer,", "Bearer\t"];

    private static readonly string[] Numbers =
        ["0", "-0", "1", "-1", "1.5", "1e400", "-1e-400", "123456789012345678901234567890", "0.0000001", "1E2", "9007199254740993", "2147483648"];

    private static readonly Gen<string> Word =
        from n in Gen.Choose(1, 10)
        from characters in Gen.ArrayOf(Gen.Elements(WordCharacters), n)
        select new string(characters);

    /// <summary>Any UTF-16 code unit (lone surrogates included) or code point, but the markers'.</summary>
    private static readonly Gen<string> AnyCharacter = Gen.Frequency(
        (3, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
        (2, Gen.Choose(0, 0x1F).Select(c => ((char)c).ToString())),
        (3, Gen.Choose(0x80, 0xFFFF).Select(c => ((char)(c is FuzzText.MarkerStart or FuzzText.MarkerEnd ? 0xE002 : c)).ToString())),
        (1, Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)));

    private static readonly Gen<string> Piece = Gen.Frequency(
        (4, Word), (4, Gen.Elements(FuzzText.Nasty)), (2, AnyCharacter), (1, Gen.Elements(" ", "  ", "-", ".")));

    private static readonly Gen<string> Long =
        from piece in Piece
        from length in Gen.Elements(64, 65, 128, 129, 1000, 5000)
        select string.Concat(Enumerable.Repeat(piece, (length / piece.Length) + 1))[..length];

    /// <summary>A string of every kind: empty, a word, nasty pieces strung together, very long.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (1, Gen.Constant(string.Empty)),
        (3, Word),
        (8, Gen.Sized(size => from n in Gen.Choose(1, Math.Max(1, (size / 10) + 1)) from pieces in Gen.ArrayOf(Piece, n) select string.Concat(pieces))),
        (1, Long));

    /// <summary>What a header value can carry through Kestrel: visible ASCII, spaces, tabs, and some other Unicode.</summary>
    private static readonly Gen<string> HeaderText = Gen.Frequency(
        (1, Gen.Constant(string.Empty)),
        (6, from n in Gen.Choose(1, 6)
            from pieces in Gen.ArrayOf(Gen.Frequency((4, Word), (3, Gen.Elements(FuzzText.NastyForHeaders)), (1, Gen.Elements("<", ">", "\"", "'", "&", "\t", " "))), n)
            select string.Concat(pieces)));

    private static readonly Gen<StringForm> StringForms = Gen.Frequency(
        (6, Gen.Constant(StringForm.Utf8)), (2, Gen.Constant(StringForm.Escaped)), (2, Gen.Constant(StringForm.Raw)));

    private static readonly Gen<FormEncoding> FormEncodings = Gen.Frequency(
        (5, Gen.Constant(FormEncoding.Percent)), (2, Gen.Constant(FormEncoding.PercentWithPlus)), (2, Gen.Constant(FormEncoding.Raw)));

    private static readonly Gen<string> Usernames = Gen.Frequency(
        (5, from w in Word from n in Gen.Choose(0, 999_999) select $"{w}{n}"),
        (3, from w in Word from p in Piece from n in Gen.Choose(0, 99_999) select $"{w}{p}{n}"),
        (2, from w in Word from h in Gen.Elements("<b>", "</title>", "<script>", "a&b", "'quoted'", "x>y", "<!--") from n in Gen.Choose(0, 99_999) select $"{w}{h}{n}"),
        (2, Text),
        (1, Gen.Elements(new string('u', 64), new string('u', 65), " padded ", "\u0130stanbul", "\uFF21\uFF44\uFF4D\uFF49\uFF4E")));

    private static readonly Gen<string> Passwords = Gen.Frequency(
        (5, from a in Word from b in Word from c in Word select $"{a} {b} {c} staple"),
        (3, Text),
        (1, Gen.Elements("password", "12345678", string.Empty, "correct horse battery", "short")),
        (1, from p in Piece from n in Gen.Elements(127, 128, 129, 200) select string.Concat(Enumerable.Repeat(p, n))[..n]),
        (1, from a in Word from nasty in Gen.Elements(FuzzText.Nasty) from b in Word select $"{a} {nasty} {b} battery"));

    private static readonly Gen<JsonSpec> Scalars = Gen.Frequency(
        (4, from s in Text from f in StringForms select (JsonSpec)new JText(s, f)),
        (2, Gen.Elements(Numbers).Select(n => (JsonSpec)new JLiteral(n))),
        (2, Gen.Elements("true", "false", "null").Select(n => (JsonSpec)new JLiteral(n))));

    /// <summary>Any JSON value, nested up to two levels.</summary>
    private static readonly Gen<JsonSpec> AnyJson = Nested(Nested(Scalars));

    /// <summary>Requests over every route, the docs page and some unknown paths.</summary>
    public static Gen<FuzzRequest> Requests(IReadOnlyList<string> routes)
    {
        RouteSpec[] specs =
        [
            .. routes.Select(Spec),
            new(DocsPath, "GET", 1, []),
            .. UnknownPaths.Select(p => new RouteSpec(p, "GET", 1, ["username", "password", "token"]) { Unknown = true }),
        ];
        var route = Gen.Frequency([.. specs.Select(s => (s.Unknown ? 1 : s.Weight * 6, Gen.Constant(s)))]);
        return from spec in route
               from subject in Gen.Choose(0, FuzzTarget.PoolSize - 1)
               from method in Gen.Frequency((11, Gen.Constant(spec.Method)), (9, Gen.Elements(Methods)))
               from id in spec.Route.Contains("{id}", StringComparison.Ordinal) ? SessionIds(subject) : Gen.Constant<string?>(null)
               from query in Queries(spec)
               from body in Bodies(spec, subject)
               from contentType in ContentTypes(body)
               from headers in Headers(subject)
               select new FuzzRequest(method, spec.Unknown ? "(unknown)" : spec.Route, spec.Route, id, query, contentType, body, headers, subject);
    }

    /// <summary>
    /// Parameter sets for the token endpoint: any of its parameters and some others, repeated, empty, genuine or not; values
    /// of at most 100 characters, so a set stays under the 8 KiB limit however it is encoded.
    /// </summary>
    public static Gen<TokenRequest> TokenRequests() =>
        from subject in Gen.Choose(0, FuzzTarget.PoolSize - 1)
        from n in Gen.Choose(0, 6)
        from parameters in Gen.ArrayOf(TokenParameter(subject), n)
        from json in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
        from encoding in FormEncodings
        select new TokenRequest(parameters, json, encoding, subject);

    private static Gen<KeyValuePair<string, string>> TokenParameter(int subject) =>
        from name in Gen.Frequency(
            (4, Gen.Constant("grant_type")), (2, Gen.Constant("username")), (2, Gen.Constant("password")), (2, Gen.Constant("refresh_token")),
            (1, Gen.Elements("client_id", "scope", "client_secret", "code", "redirect_uri", string.Empty, "GRANT_TYPE", "grant_type ", "grant_type\0")))
        from value in Gen.Frequency(
            (2, Gen.Constant(string.Empty)),
            (6, Capped(FieldValue(name, subject, (FuzzText.Marker(FuzzText.Username, subject), FuzzText.Marker(FuzzText.Password, subject))), 100)),
            (1, Capped(Text, 100)),
            (1, Gen.Elements(FuzzText.Nasty)))
        select new KeyValuePair<string, string>(name, value);

    private static RouteSpec Spec(string route) => route switch
    {
        FuncAuthRoutes.Register or FuncAuthRoutes.Login => new(route, "POST", 4, ["username", "password"]),
        FuncAuthRoutes.Token => new(route, "POST", 4, ["grant_type", "username", "password", "refresh_token", "client_id", "scope"]),
        FuncAuthRoutes.Revoke => new(route, "POST", 3, ["token", "token_type_hint"]),
        FuncAuthRoutes.Password => new(route, "POST", 3, ["current_password", "new_password"]),
        AccountPath => new(route, "DELETE", 3, ["password"]),
        FuncAuthRoutes.Session => new(route, "DELETE", 3, []),
        FuncAuthRoutes.Logout or FuncAuthRoutes.Verify or FuncAuthRoutes.Sessions => new(route, route == FuncAuthRoutes.Logout ? "POST" : "GET", 2, []),
        FuncAuthRoutes.Health or FuncAuthRoutes.JsonWebKeySet or FuncAuthRoutes.OpenIdConfiguration or FuncAuthRoutes.AuthorizationServerMetadata or FuncAuthRoutes.OpenApi
            => new(route, "GET", 1, []),

        FuncAuthRoutes.Authorize => new(route, "GET", 2, []),

        // A route added since: fuzzed with the names most endpoints read.
        _ => new(route, "POST", 3, ["username", "password", "token"]),
    };

    private static Gen<string?> SessionIds(int subject) => Gen.Frequency(
        (4, Gen.Constant<string?>(FuzzText.Marker(FuzzText.SessionId, subject))),
        (2, Capped(Text, 300).Select(s => (string?)s)),
        (1, Gen.ArrayOf(Gen.Elements([.. "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]), 22).Select(c => (string?)new string(c))),
        (1, Gen.Elements<string?>(string.Empty, ".", "..", "a/b", "%2F", "\0")));

    private static Gen<IReadOnlyList<KeyValuePair<string, string>>> Queries(RouteSpec spec)
    {
        static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);
        var none = Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([]);
        var random = from name in Word from value in Capped(Text, 500) select (IReadOnlyList<KeyValuePair<string, string>>)[Pair(name, value)];
        if (spec.Route == FuncAuthRoutes.Authorize)
        {
            // The authorization request's own parameters, with any text: none of it may come back unescaped.
            var parameter = from name in Gen.Elements("client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method", "prompt", "max_age", "response_mode", "nonce", "login_hint")
                            from value in Capped(Text, 200)
                            select Pair(name, value);
            return Gen.Frequency((1, none), (3, Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(parameter, n)).Select(p => (IReadOnlyList<KeyValuePair<string, string>>)p)));
        }

        return spec.Route == FuncAuthRoutes.Logout
            ? Gen.Frequency(
                (4, none),
                (2, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([Pair("scope", "global")])),
                (1, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([Pair("scope", "local")])),
                (1, Capped(Text, 500).Select(v => (IReadOnlyList<KeyValuePair<string, string>>)[Pair("scope", v)])),
                (1, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([Pair("scope", "global"), Pair("scope", "local")])))
            : Gen.Frequency((9, none), (1, random));
    }

    private static Gen<FuzzBody?> Bodies(RouteSpec spec, int subject)
    {
        var json = JsonObjects(spec, subject);
        var form = Forms(spec, subject);
        return Gen.Frequency(
            (2, Gen.Constant<FuzzBody?>(null)),
            (1, Gen.Constant<FuzzBody?>(new RawBody([]))),
            (9, json),
            (4, form),
            (1, from root in Gen.Frequency((2, Scalars), (1, Nested(Scalars))) from damage in Damages select (FuzzBody?)new JsonBody(root, damage)),
            (1, from n in Gen.Frequency((3, Gen.Choose(1, 64)), (1, Gen.Choose(65, 1024)), (1, Gen.Elements(8191, 8192, 8193, 9000)))
                from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n)
                select (FuzzBody?)new RawBody(bytes)),
            (1, from who in Personas(subject)
                from boundary in Gen.Elements("fuzz", "----boundary", "a")
                from parts in Gen.CollectToArray(spec.Fields.Select(f => FieldValue(f, subject, who).Select(v => new KeyValuePair<string, string>(f, v))))
                select (FuzzBody?)new MultipartBody(boundary, parts)),
            (2, from inner in Gen.Frequency((3, json), (2, form))
                from size in Gen.Elements(8000, 8191, 8192, 8193, 8300, 16384)
                select (FuzzBody?)new PaddedBody(inner!, size)));
    }

    private static readonly Gen<JsonDamage> Damages = Gen.Frequency(
        (14, Gen.Constant(JsonDamage.None)),
        (1, Gen.Elements(JsonDamage.Truncated, JsonDamage.TrailingGarbage, JsonDamage.ByteOrderMark, JsonDamage.TrailingComma, JsonDamage.Comment)));

    /// <summary>A JSON object with the endpoint's field names (mostly) holding fitting strings (mostly), and sometimes more.</summary>
    private static Gen<FuzzBody?> JsonObjects(RouteSpec spec, int subject) =>
        from who in Personas(subject)
        from fields in Gen.CollectToArray(spec.Fields.Select(f => Gen.Frequency(
            (1, Gen.Constant<KeyValuePair<JText, JsonSpec>?>(null)),
            (6, from v in FieldValue(f, subject, who) from form in StringForms select (KeyValuePair<JText, JsonSpec>?)new(new JText(f, StringForm.Utf8), new JText(v, form))),
            (2, AnyJson.Select(v => (KeyValuePair<JText, JsonSpec>?)new(new JText(f, StringForm.Utf8), v))))))
        from extra in Gen.Frequency((8, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from extras in Gen.ArrayOf(
            from name in Gen.Frequency((3, Gen.Elements([.. spec.Fields, "Username", "PASSWORD", "user name", "username\0", string.Empty])), (2, Capped(Text, 100)))
            from nameForm in StringForms
            from value in Gen.Frequency((2, AnyJson), (1, FieldValue(name, subject, who).Select(v => (JsonSpec)new JText(v, StringForm.Utf8))))
            select new KeyValuePair<JText, JsonSpec>(new JText(name, nameForm), value),
            extra)
        from damage in Damages
        select (FuzzBody?)new JsonBody(new JObject([.. fields.Where(f => f is not null).Select(f => f!.Value), .. extras]), damage);

    private static Gen<FuzzBody?> Forms(RouteSpec spec, int subject) =>
        from who in Personas(subject)
        from fields in Gen.CollectToArray(spec.Fields.Select(f => Gen.Frequency(
            (1, Gen.Constant<FormField?>(null)),
            (9, from v in FieldValue(f, subject, who) from encoding in FormEncodings select (FormField?)new FormField(f, v, encoding)))))
        from extra in Gen.Frequency((8, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from extras in Gen.ArrayOf(
            from name in Gen.Frequency((3, Gen.Elements([.. spec.Fields, "Username", string.Empty])), (2, Capped(Text, 100)))
            from value in Gen.Frequency((4, Capped(Text, 300).Select(v => (string?)v)), (1, Gen.Constant<string?>(null)))
            from encoding in FormEncodings
            select new FormField(name, value, encoding),
            extra)
        select (FuzzBody?)new FormBody([.. fields.Where(f => f is not null).Select(f => f!), .. extras]);

    /// <summary>Whose credentials a body carries: random ones, a pool user's genuine ones (or its name with a guess), a known name.</summary>
    private static Gen<(string Username, string Password)> Personas(int subject)
    {
        var username = FuzzText.Marker(FuzzText.Username, subject);
        var password = FuzzText.Marker(FuzzText.Password, subject);
        return Gen.Frequency(
            (5, from u in Usernames from p in Passwords select (u, p)),
            (3, from p in Gen.Frequency((6, Gen.Constant(password)), (1, Passwords)) select (username, p)),
            (1, from u in Gen.Elements(FuzzTarget.KnownNames) from p in Passwords select (u, p)),
            (1, from u in Usernames select (u, password)));
    }

    private static Gen<string> FieldValue(string field, int subject, (string Username, string Password) who) => field switch
    {
        "username" => Gen.Constant(who.Username),
        "password" => Gen.Constant(who.Password),
        "current_password" => Gen.Frequency((3, Gen.Constant(FuzzText.Marker(FuzzText.Password, subject))), (1, Passwords)),
        "new_password" => Passwords,
        "grant_type" => Gen.Frequency(
            (6, Gen.Elements("password", "refresh_token")),
            (2, Gen.Elements("authorization_code", "client_credentials", "PASSWORD", "refresh_token ", "urn:ietf:params:oauth:grant-type:device_code", string.Empty)),
            (1, Capped(Text, 300))),
        "refresh_token" or "token" => Gen.Frequency(
            (3, Gen.Constant(FuzzText.Marker(FuzzText.RefreshToken, subject))),
            (2, Gen.Constant(FuzzText.Marker(FuzzText.AccessToken, subject))),
            (1, Gen.ArrayOf(Gen.Elements([.. "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]), 43).Select(c => new string(c))),
            (2, Text)),
        "token_type_hint" => Gen.Frequency((3, Gen.Elements("refresh_token", "access_token")), (1, Text)),
        _ => Text,
    };

    private static Gen<string?> ContentTypes(FuzzBody? body)
    {
        var fitting = (body is PaddedBody padded ? padded.Inner : body) switch
        {
            JsonBody => Gen.Elements(JsonTypes).Select(t => (string?)t),
            FormBody => Gen.Elements(FormTypes).Select(t => (string?)t),
            MultipartBody multipart => Gen.Constant<string?>($"multipart/form-data; boundary={multipart.Boundary}"),
            _ => Gen.Constant<string?>(null),
        };
        return Gen.Frequency(
            (7, fitting),
            (1, Gen.Constant<string?>(null)),
            (3, Gen.Elements(OtherContentTypes).Select(t => (string?)t)),
            (1, Gen.Elements(JsonTypes.Concat(FormTypes).ToArray()).Select(t => (string?)t)),
            (1, HeaderText.Select(t => (string?)t)));
    }

    private static Gen<IReadOnlyList<KeyValuePair<string, string>>> Headers(int subject)
    {
        static KeyValuePair<string, string> Header(string name, string value) => new(name, value);
        var access = FuzzText.Marker(FuzzText.AccessToken, subject);
        var authorization = Gen.Frequency(
            (4, Gen.Constant<string[]>([])),
            (6, Gen.Constant<string[]>([$"Bearer {access}"])),
            (1, Gen.Elements("bearer ", "BEARER ", "Bearer  ", "Bearer\t").Select(p => new[] { p + access })),
            (1, Gen.Constant<string[]>([$"Bearer {access} "])),
            (1, HeaderText.Select(t => new[] { $"Bearer {access}{t}" })),
            (1, Gen.Constant<string[]>([$"Bearer {FuzzText.Marker(FuzzText.RefreshToken, subject)}"])),
            (2, from scheme in Gen.Elements(Schemes) from t in HeaderText select new[] { $"{scheme} {t}" }),
            (1, Gen.Elements("Bearer", "Bearer ", "Bearer a b", "Basic", string.Empty, " ", ",", "Bearer ,").Select(v => new[] { v })),
            (1, Gen.Elements(8185, 8186, 9000, 16000).Select(n => new[] { "Bearer " + new string('A', n) })),
            (1, Gen.Constant<string[]>(["Basic ZnV6ejpwYXNzd29yZA=="])),
            (1, Gen.Constant<string[]>([$"Bearer {access}", $"Bearer {access}"])));
        var accept = Gen.Frequency(
            (3, Gen.Constant<string[]>([])),
            (5, Gen.Elements(Accepts).Select(a => new[] { a })),
            (1, HeaderText.Select(a => new[] { a })));
        var ifNoneMatch = Gen.Frequency(
            (8, Gen.Constant<string[]>([])),
            (2, Gen.Elements("*", "\"x\"", "W/\"x\"", "\"", "W/", ",,,", "*, \"a\"").Select(v => new[] { v })),
            (1, HeaderText.Select(v => new[] { v })));
        var other = Gen.Frequency(
            (1, Gen.Elements(4000, 8000, 12000).Select(n => Header("X-Fuzz-Padding", new string('p', n)))),
            (2, from name in Word from value in HeaderText select Header($"X-Fuzz-{name}", value)),
            (1, HeaderText.Select(v => Header("X-Forwarded-For", v))),
            (1, HeaderText.Select(v => Header("Cookie", v))),
            (1, HeaderText.Select(v => Header("Origin", v))),
            (1, HeaderText.Select(v => Header("User-Agent", v))));
        return from a in authorization
               from b in accept
               from c in ifNoneMatch
               from n in Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Choose(1, 3)))
               from others in Gen.ArrayOf(other, n)
               select (IReadOnlyList<KeyValuePair<string, string>>)
               [
                   .. a.Select(v => Header("Authorization", v)),
                   .. b.Select(v => Header("Accept", v)),
                   .. c.Select(v => Header("If-None-Match", v)),
                   .. others,
               ];
    }

    private static Gen<JsonSpec> Nested(Gen<JsonSpec> inner) => Gen.Frequency(
        (6, Scalars),
        (1, from n in Gen.Choose(0, 3) from items in Gen.ArrayOf(inner, n) select (JsonSpec)new JArray(items)),
        (1, from n in Gen.Choose(0, 3)
            from members in Gen.ArrayOf(from k in Capped(Text, 50) from f in StringForms from v in inner select new KeyValuePair<JText, JsonSpec>(new JText(k, f), v), n)
            select (JsonSpec)new JObject(members)));

    private static Gen<string> Capped(Gen<string> text, int length) => text.Select(s => s.Length > length ? s[..length] : s);

    private sealed record RouteSpec(string Route, string Method, int Weight, string[] Fields)
    {
        public bool Unknown { get; init; }
    }
}
