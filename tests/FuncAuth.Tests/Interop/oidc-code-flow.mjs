// panva's openid-client (v6), unchanged, as a web app's back end would use it for browser sign-in against FuncAuth:
// OpenID Connect discovery, the authorization code flow with PKCE (S256), state and nonce, the token exchange with ID
// token validation, userinfo and a refresh; then single sign-on (a second authorization that needs no form), a code
// used twice, RP-Initiated Logout, and prompt=none afterwards. The browser's part is played by this script: it follows
// the redirects itself with a cookie jar and fills in FuncAuth's sign-in form, reading its hidden fields (the
// anti-forgery token and the carried authorization request) from the HTML as a browser would send them.
//
// It asserts nothing itself: it prints one JSON object of what it observed on stdout, and OpenIdClientCodeFlowTests
// judges it. It exits non-zero only when something unexpected is thrown (a library objection, a network failure).
//
// Inputs (environment): FUNCAUTH_ISSUER, FUNCAUTH_USERNAME, FUNCAUTH_PASSWORD, FUNCAUTH_CLIENT_ID,
// FUNCAUTH_CLIENT_SECRET (optional: a confidential client, client_secret_basic), FUNCAUTH_REDIRECT_URI,
// FUNCAUTH_POST_LOGOUT_REDIRECT_URI.
import {
  AuthorizationResponseError,
  ClientSecretBasic,
  None,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
  allowInsecureRequests,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  buildEndSessionUrl,
  calculatePKCECodeChallenge,
  discovery,
  fetchUserInfo,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
  refreshTokenGrant,
} from 'openid-client';
import { run } from './run-script.mjs';

const env = (name, required = true) => {
  const value = process.env[name];
  if (required && !value) {
    process.stderr.write(`Set ${name}.\n`);
    process.exit(2);
  }
  return value;
};
const issuer = env('FUNCAUTH_ISSUER');
const username = env('FUNCAUTH_USERNAME');
const password = env('FUNCAUTH_PASSWORD');
const clientId = env('FUNCAUTH_CLIENT_ID');
const clientSecret = env('FUNCAUTH_CLIENT_SECRET', false);
const redirectUri = env('FUNCAUTH_REDIRECT_URI');
const postLogoutRedirectUri = env('FUNCAUTH_POST_LOGOUT_REDIRECT_URI');

/**
 * The browser's cookie jar, for the one host the script talks to: name → value, set from Set-Cookie, dropped when a
 * Set-Cookie expires it. (FuncAuth's single-sign-on cookie is Secure; a browser sends Secure cookies to loopback over
 * http too, so this jar does not tell them apart.)
 */
const jar = new Map();

function remember(response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))
      || attributes.some((a) => /^\s*expires\s*=/i.test(a) && Date.parse(a.split('=').slice(1).join('=')) <= Date.now());
    if (expired || value === '') {
      jar.delete(name);
    } else {
      jar.set(name, value);
    }
  }
}

/** One request as the browser sends it: the jar's cookies, no redirect followed. */
async function request(url, init = {}) {
  const headers = new Headers(init.headers);
  if (jar.size > 0) {
    headers.set('cookie', [...jar].map(([n, v]) => `${n}=${v}`).join('; '));
  }
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  remember(response);
  return response;
}

/**
 * Follows redirects from url until one leaves for `stopAt` (the client's own address, which this script does not
 * serve) or a page answers. Answers { stoppedAt: URL } or { page: { url, status, html } }, and every address visited.
 */
async function follow(url, stopAt, init) {
  const visited = [];
  let current = new URL(url);
  let response = await request(current, init);
  for (let hops = 0; hops < 10; hops++) {
    visited.push(current.href);
    if (response.status < 300 || response.status >= 400) {
      return { page: { url: current, status: response.status, html: await response.text() }, visited };
    }
    const location = new URL(response.headers.get('location'), current);
    if (location.href.startsWith(stopAt)) {
      return { stoppedAt: location, status: response.status, visited };
    }
    current = location;
    response = await request(current);
  }
  throw new Error(`Too many redirects from ${url}`);
}

const decode = (text) => text
  .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
  .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const attribute = (tag, name) => {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? decode(match[1] ?? match[2] ?? match[3]) : null;
};

/** The page's form with method="post": where it posts and its fields (name → value) as the browser would send them. */
function readForm(page) {
  const form = /<form\b[^>]*\bmethod\s*=\s*["']?post["']?[^>]*>([\s\S]*?)<\/form>/i.exec(page.html);
  if (!form) {
    throw new Error(`No post form on ${page.url} (status ${page.status}).`);
  }
  const action = attribute(form[0].slice(0, form[0].indexOf('>') + 1), 'action');
  const fields = new Map();
  for (const [tag] of form[1].matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(tag, 'name');
    const type = (attribute(tag, 'type') ?? 'text').toLowerCase();
    if (name && type !== 'submit' && type !== 'button') {
      fields.set(name, attribute(tag, 'value') ?? '');
    }
  }
  return { action: new URL(action ?? page.url.href, page.url), fields };
}

/** Signs in on the sign-in page: its hidden fields as they are, and the credentials typed into its two inputs. */
async function submitSignIn(page) {
  const { action, fields } = readForm(page);
  const hidden = [...fields.keys()].filter((n) => n !== 'username' && n !== 'password');
  const body = new URLSearchParams(fields);
  body.set('username', username);
  body.set('password', password);
  const origin = new URL(issuer).origin;
  const response = await request(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin' },
    body,
  });
  return { response, hidden, action };
}

/** Runs a call that should fail; answers what the library reported, or null when it succeeded. */
async function failure(call) {
  try {
    await call();
    return null;
  } catch (e) {
    if (e instanceof ResponseBodyError) {
      return { kind: 'response_body', error: e.error, status: e.status };
    }
    if (e instanceof AuthorizationResponseError) {
      return { kind: 'authorization_response', error: e.error, error_description: e.error_description ?? null };
    }
    if (e instanceof WWWAuthenticateChallengeError) {
      return { kind: 'www_authenticate', status: e.status, error: e.cause?.[0]?.parameters?.error ?? null };
    }
    throw e;
  }
}

/** A new authorization request (PKCE S256, state, nonce): its URL and the checks for its answer. */
async function authorization(config, extra = {}) {
  const pkceCodeVerifier = randomPKCECodeVerifier();
  const state = randomState();
  const nonce = randomNonce();
  const url = buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, checks: { pkceCodeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true } };
}

const describeTokens = (tokens) => ({
  token_type: tokens.token_type,
  expires_in: tokens.expires_in,
  scope: tokens.scope ?? null,
  access_token: tokens.access_token,
  id_token: tokens.id_token,
  has_refresh_token: typeof tokens.refresh_token === 'string',
  id_token_claims: tokens.claims() ?? null,
});

async function main() {
  const config = await discovery(
    new URL(issuer), clientId, undefined, clientSecret ? ClientSecretBasic(clientSecret) : None(),
    { execute: [allowInsecureRequests] });
  const metadata = config.serverMetadata();

  // 1. Authorization: FuncAuth sends the browser to its sign-in page; the form is filled in and sent.
  const first = await authorization(config);
  const toForm = await follow(first.url, redirectUri);
  if (!toForm.page) throw new Error(`Expected the sign-in page, got a redirect to ${toForm.stoppedAt}`);
  const signIn = await submitSignIn(toForm.page);
  if (!signIn.response.headers.has('location')) {
    throw new Error(`The sign-in form answered ${signIn.response.status} without a redirect: ${(await signIn.response.text()).slice(0, 2000)}`);
  }
  const afterSignIn = new URL(signIn.response.headers.get('location'), toForm.page.url);
  const back = await follow(afterSignIn, redirectUri);
  if (!back.stoppedAt) throw new Error(`Expected a redirect to the client, got a page at ${back.page.url} (${back.page.status})`);
  const callback = back.stoppedAt;

  // 2. The code for tokens, the ID token checked by the library (signature, iss, aud, nonce, exp...); userinfo; refresh.
  const tokens = await authorizationCodeGrant(config, callback, first.checks);
  const claims = tokens.claims();
  const userinfo = await fetchUserInfo(config, tokens.access_token, claims.sub);
  const refreshed = await refreshTokenGrant(config, tokens.refresh_token);

  // 3. Single sign-on: a second authorization goes straight back with a code. Its code, used a second time, is refused
  //    and what the first use issued is revoked.
  const second = await authorization(config);
  const sso = await follow(second.url, redirectUri);
  const ssoTokens = sso.stoppedAt ? await authorizationCodeGrant(config, sso.stoppedAt, second.checks) : null;
  const reuse = sso.stoppedAt ? await failure(() => authorizationCodeGrant(config, sso.stoppedAt, second.checks)) : null;
  const ssoUserinfoAfterReuse = ssoTokens ? await failure(() => fetchUserInfo(config, ssoTokens.access_token, claims.sub)) : null;
  const firstUserinfoAfterReuse = await failure(() => fetchUserInfo(config, tokens.access_token, claims.sub));

  // 4. RP-Initiated Logout with the ID token, back to the registered address with the state.
  const logoutState = randomState();
  const endSession = buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: postLogoutRedirectUri,
    state: logoutState,
  });
  const loggedOut = await follow(endSession, postLogoutRedirectUri);

  // 5. After it: the tokens are refused, and prompt=none answers login_required (no session any more).
  const userinfoAfterLogout = await failure(() => fetchUserInfo(config, refreshed.access_token, claims.sub));
  const refreshAfterLogout = await failure(() => refreshTokenGrant(config, refreshed.refresh_token));
  const silent = await authorization(config, { prompt: 'none' });
  const silentAnswer = await follow(silent.url, redirectUri);
  const silentError = silentAnswer.stoppedAt
    ? await failure(() => authorizationCodeGrant(config, silentAnswer.stoppedAt, silent.checks))
    : { kind: 'page', status: silentAnswer.page.status };

  const observed = {
    discovery: {
      issuer: metadata.issuer,
      authorization_endpoint: metadata.authorization_endpoint,
      token_endpoint: metadata.token_endpoint,
      userinfo_endpoint: metadata.userinfo_endpoint,
      end_session_endpoint: metadata.end_session_endpoint,
      response_types_supported: metadata.response_types_supported ?? null,
      code_challenge_methods_supported: metadata.code_challenge_methods_supported ?? null,
      authorization_response_iss_parameter_supported: metadata.authorization_response_iss_parameter_supported ?? null,
      grant_types_supported: metadata.grant_types_supported ?? null,
    },
    sign_in_page: { url: toForm.page.url.href, status: toForm.page.status, hidden_fields: signIn.hidden, posted_to: signIn.action.href },
    sign_in_answer: { status: signIn.response.status, location: afterSignIn.href },
    callback: {
      has_code: callback.searchParams.has('code'),
      iss: callback.searchParams.get('iss'),
      state_matches: callback.searchParams.get('state') === first.checks.expectedState,
    },
    tokens: describeTokens(tokens),
    userinfo,
    refreshed: describeTokens(refreshed),
    refresh_token_rotated: refreshed.refresh_token !== tokens.refresh_token,
    sso: {
      visited: sso.visited,
      reached_client: Boolean(sso.stoppedAt),
      tokens: ssoTokens ? describeTokens(ssoTokens) : null,
    },
    code_reuse_error: reuse,
    sso_userinfo_after_reuse_error: ssoUserinfoAfterReuse,
    first_userinfo_after_reuse_error: firstUserinfoAfterReuse,
    end_session: {
      reached_post_logout_redirect: Boolean(loggedOut.stoppedAt),
      state: loggedOut.stoppedAt?.searchParams.get('state') ?? null,
      expected_state: logoutState,
      page_status: loggedOut.page?.status ?? null,
    },
    userinfo_after_logout_error: userinfoAfterLogout,
    refresh_after_logout_error: refreshAfterLogout,
    prompt_none_after_logout_error: silentError,
  };
  process.stdout.write(JSON.stringify(observed) + '\n');
}

await run(main);
