// A standard OAuth 2.0 client, panva's openid-client (v6), used against FuncAuth exactly as an application would:
// it is told only the issuer and a user's credentials, discovers the endpoints, logs in with the password grant,
// refreshes, presents a spent refresh token again, and revokes. It asserts nothing itself: it prints one JSON object
// of what it observed on stdout, and OAuthClientInteropTests judges it. It exits non-zero only when something
// unexpected is thrown (a library objection, a network failure), with the message on stderr.
//
// Inputs (environment): FUNCAUTH_ISSUER, FUNCAUTH_USERNAME, FUNCAUTH_PASSWORD. The issuer and username may also be
// given as the first two arguments; the password only through the environment, so it stays out of process listings.
import {
  ResponseBodyError,
  None,
  allowInsecureRequests,
  discovery,
  genericGrantRequest,
  refreshTokenGrant,
  tokenRevocation,
} from 'openid-client';
import { run } from './run-script.mjs';

const issuer = process.env.FUNCAUTH_ISSUER ?? process.argv[2];
const username = process.env.FUNCAUTH_USERNAME ?? process.argv[3];
const password = process.env.FUNCAUTH_PASSWORD;
if (!issuer || !username || !password) {
  process.stderr.write('Set FUNCAUTH_ISSUER, FUNCAUTH_USERNAME and FUNCAUTH_PASSWORD.\n');
  process.exit(2);
}

// A public client: FuncAuth has no registered clients and accepts and ignores client_id.
const clientId = 'openid-client-interop';

// The test's FuncAuth speaks plain HTTP on loopback; everything else is the library's default behaviour.
const discover = (algorithm) =>
  discovery(new URL(issuer), clientId, undefined, None(), { algorithm, execute: [allowInsecureRequests] });

/** What a token response looked like to the library (refresh tokens themselves are not printed). */
function describe(response) {
  return {
    token_type: response.token_type,
    expires_in: response.expires_in,
    has_refresh_token: typeof response.refresh_token === 'string',
    refresh_token_length: response.refresh_token?.length ?? 0,
    access_token: response.access_token,
  };
}

/**
 * Runs a call that should be refused by the token endpoint: answers the OAuth error the library reported, or null when
 * the call succeeded. Anything else thrown is unexpected and propagates.
 */
async function refused(call) {
  try {
    await call();
    return null;
  } catch (e) {
    if (e instanceof ResponseBodyError) {
      return { error: e.error, error_description: e.error_description ?? null, status: e.status };
    }

    throw e;
  }
}

async function main() {
  // OpenID Connect discovery (.well-known/openid-configuration) and RFC 8414 (.well-known/oauth-authorization-server).
  const config = await discover('oidc');
  const oauthConfig = await discover('oauth2');
  const metadata = config.serverMetadata();

  // Log in; refresh once (rotation); present the first, now spent, refresh token again (reuse); then try the
  // successor the reuse should have taken down with its session.
  const login = await genericGrantRequest(config, 'password', { username, password });
  const rotated = await refreshTokenGrant(config, login.refresh_token);
  const reuse = await refused(() => refreshTokenGrant(config, login.refresh_token));
  const successorAfterReuse = await refused(() => refreshTokenGrant(config, rotated.refresh_token));

  // A second session: revoke its refresh token (RFC 7009), then try to refresh with it.
  const second = await genericGrantRequest(config, 'password', { username, password });
  await tokenRevocation(config, second.refresh_token);
  const afterRevocation = await refused(() => refreshTokenGrant(config, second.refresh_token));

  // A third session, left alone: its access token should still verify (the control for the refusals above).
  const untouched = await genericGrantRequest(config, 'password', { username, password });

  const observed = {
    discovery: {
      issuer: metadata.issuer,
      oauth_issuer: oauthConfig.serverMetadata().issuer,
      token_endpoint: metadata.token_endpoint,
      revocation_endpoint: metadata.revocation_endpoint,
      grant_types_supported: metadata.grant_types_supported ?? null,
      token_endpoint_auth_methods_supported: metadata.token_endpoint_auth_methods_supported ?? null,
    },
    password_grant: describe(login),
    refresh_grant: describe(rotated),
    rotated_refresh_token_differs: rotated.refresh_token !== login.refresh_token,
    reuse_error: reuse,
    successor_after_reuse_error: successorAfterReuse,
    second_password_grant: describe(second),
    after_revocation_error: afterRevocation,
    untouched_password_grant: describe(untouched),
  };
  process.stdout.write(JSON.stringify(observed) + '\n');
}

await run(main);
