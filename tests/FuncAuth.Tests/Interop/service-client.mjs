// A service calling FuncAuth for a token of its own, as a Node.js back end would: panva's openid-client (v6) is told
// only the issuer and the client's id and secret, discovers the token endpoint, and runs the client credentials grant
// (RFC 6749 §4.4) with client_secret_basic and with client_secret_post; the token is then checked with verify and
// revoked (RFC 7009). It asserts nothing itself: it prints one JSON object of what it observed on stdout, and
// ServiceClientInteropTests judges it. It exits non-zero only when something unexpected is thrown, with the message on
// stderr.
//
// Inputs (environment only, so the secret stays out of process listings): FUNCAUTH_ISSUER, FUNCAUTH_CLIENT_ID,
// FUNCAUTH_CLIENT_SECRET.
import {
  ClientSecretBasic,
  ClientSecretPost,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
  allowInsecureRequests,
  clientCredentialsGrant,
  discovery,
  tokenRevocation,
} from 'openid-client';
import { run } from './run-script.mjs';

const issuer = process.env.FUNCAUTH_ISSUER;
const clientId = process.env.FUNCAUTH_CLIENT_ID;
const clientSecret = process.env.FUNCAUTH_CLIENT_SECRET;
if (!issuer || !clientId || !clientSecret) {
  process.stderr.write('Set FUNCAUTH_ISSUER, FUNCAUTH_CLIENT_ID and FUNCAUTH_CLIENT_SECRET.\n');
  process.exit(2);
}

// The test's FuncAuth speaks plain HTTP on loopback; everything else is the library's default behaviour.
const discover = (secret, auth) => discovery(new URL(issuer), clientId, undefined, auth(secret), { execute: [allowInsecureRequests] });

/** What a token response looked like to the library. */
function describe(response) {
  return {
    token_type: response.token_type,
    expires_in: response.expires_in,
    scope: response.scope ?? null,
    has_refresh_token: 'refresh_token' in response,
    has_id_token: 'id_token' in response,
    access_token: response.access_token,
  };
}

/** A grant FuncAuth should refuse: the error as the library reported it, or null when the call succeeded. */
async function refused(call) {
  try {
    await call();
    return null;
  } catch (e) {
    if (e instanceof ResponseBodyError) {
      return { kind: 'body', error: e.error, status: e.status };
    }

    // A 401 with a WWW-Authenticate challenge is reported as the challenge (RFC 6749 §5.2: Basic).
    if (e instanceof WWWAuthenticateChallengeError) {
      return { kind: 'challenge', status: e.status, schemes: (e.cause ?? []).map((c) => c.scheme) };
    }

    throw e;
  }
}

async function verify(accessToken) {
  const response = await fetch(new URL('api/auth/verify', issuer + '/'), { headers: { authorization: `Bearer ${accessToken}` } });
  const text = await response.text();
  return { status: response.status, body: response.ok ? JSON.parse(text) : null };
}

async function main() {
  const basic = await discover(clientSecret, ClientSecretBasic);
  const post = await discover(clientSecret, ClientSecretPost);
  const metadata = basic.serverMetadata();

  const withScope = await clientCredentialsGrant(basic, { scope: 'orders.read' });
  const byPost = await clientCredentialsGrant(post);
  const notAllowed = await refused(() => clientCredentialsGrant(basic, { scope: 'orders.delete' }));
  const userScope = await refused(() => clientCredentialsGrant(basic, { scope: 'openid' }));
  const wrongBasic = await refused(async () => clientCredentialsGrant(await discover('not-the-secret', ClientSecretBasic)));
  const wrongPost = await refused(async () => clientCredentialsGrant(await discover('not-the-secret', ClientSecretPost)));

  const verified = await verify(withScope.access_token);
  await tokenRevocation(basic, withScope.access_token);
  const afterRevocation = await verify(withScope.access_token);
  const otherAfterRevocation = await verify(byPost.access_token);

  process.stdout.write(JSON.stringify({
    grant_types_supported: metadata.grant_types_supported,
    token_endpoint_auth_methods_supported: metadata.token_endpoint_auth_methods_supported,
    basic: describe(withScope),
    post: describe(byPost),
    not_allowed_scope: notAllowed,
    user_scope: userScope,
    wrong_secret_basic: wrongBasic,
    wrong_secret_post: wrongPost,
    verified,
    after_revocation_status: afterRevocation.status,
    other_after_revocation_status: otherAfterRevocation.status,
  }));
}

await run(main);
