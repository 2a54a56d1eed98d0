// An authenticator app other than Otp.NET: hectorm's otpauth (the library many JavaScript authenticators and servers
// use) reads the otpauth:// URI FuncAuth's enrolment answers, as an app reads the QR code, and computes the codes;
// the sign-in is then completed both ways FuncAuth offers: POST api/auth/login + api/auth/login/mfa, and the
// password grant's mfa_required answer + the urn:funcauth:grant-type:mfa grant through panva's openid-client. It
// asserts nothing itself: it prints one JSON object of what it observed on stdout, and TotpClientInteropTests judges
// it. It exits non-zero only when something unexpected is thrown, with the message on stderr.
//
// Codes: FuncAuth accepts a time step's code once, and one step either side of now. So that it needn't wait 30 s
// between uses, the script takes the step t current when enrolment answers and uses the codes of t-1 (confirming),
// t (api/auth/login/mfa, then again through the grant: a replay) and t+1 (the grant): each within FuncAuth's
// tolerance when sent, each later than the one before.
//
// Inputs (environment): FUNCAUTH_ISSUER, FUNCAUTH_USERNAME, FUNCAUTH_PASSWORD (a registered user with TOTP off).
import * as OTPAuth from 'otpauth';
import { ResponseBodyError, None, allowInsecureRequests, discovery, genericGrantRequest } from 'openid-client';
import { run } from './run-script.mjs';

const issuer = process.env.FUNCAUTH_ISSUER;
const username = process.env.FUNCAUTH_USERNAME;
const password = process.env.FUNCAUTH_PASSWORD;
if (!issuer || !username || !password) {
  process.stderr.write('Set FUNCAUTH_ISSUER, FUNCAUTH_USERNAME and FUNCAUTH_PASSWORD.\n');
  process.exit(2);
}

const mfaGrant = 'urn:funcauth:grant-type:mfa';

/** POSTs JSON to FuncAuth's API; answers the status and the parsed body (null when there is none). */
async function post(path, body, accessToken) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const response = await fetch(new URL(path, issuer + '/'), { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A grant the token endpoint should refuse: the OAuth error as the library reported it (with the body it read), or null. */
async function refused(call) {
  try {
    await call();
    return null;
  } catch (e) {
    if (e instanceof ResponseBodyError) {
      return { error: e.error, status: e.status, mfa_token: e.cause?.mfa_token ?? null };
    }

    throw e;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const config = await discovery(new URL(issuer), 'otpauth-interop', undefined, None(), { execute: [allowInsecureRequests] });

  // Enrol: log in (TOTP is off), ask for a secret with the password again.
  const login = await post('api/auth/login', { username, password });
  if (login.status !== 200) throw new Error(`login before enrolment answered ${login.status}`);
  const enrolment = await post('api/auth/mfa/totp', { password }, login.body.access_token);
  if (enrolment.status !== 200) throw new Error(`enrolment answered ${enrolment.status}: ${JSON.stringify(enrolment.body)}`);

  // What an authenticator app does with the QR code: parse the URI, nothing else from FuncAuth.
  const totp = OTPAuth.URI.parse(enrolment.body.otpauth_uri);
  const period = totp.period * 1000;

  // Not within a second of a step's end, so the step taken is the one the confirmation arrives in.
  if (period - (Date.now() % period) < 1000) await sleep(period - (Date.now() % period) + 50);
  const step = Math.floor(Date.now() / period);
  const codeOf = (s) => totp.generate({ timestamp: s * period });

  const confirmation = await post('api/auth/mfa/totp/confirm', { code: codeOf(step - 1) }, login.body.access_token);

  // The API's two steps: the password answers mfa_required with a token, the code completes the sign-in.
  const passwordStep = await post('api/auth/login', { username, password });
  const codeStep = await post('api/auth/login/mfa', { mfa_token: passwordStep.body?.mfa_token, code: codeOf(step) });

  // The OAuth way: the password grant answers mfa_required (read by a standard client as an OAuth error); the mfa
  // grant with the code already used above is a replay; with the next step's code it answers tokens.
  const passwordGrant = await refused(() => genericGrantRequest(config, 'password', { username, password }));
  const replay = await refused(() => genericGrantRequest(config, mfaGrant, { mfa_token: passwordGrant?.mfa_token ?? '', otp: codeOf(step) }));
  const secondGrant = await refused(() => genericGrantRequest(config, 'password', { username, password }));
  const tokens = await genericGrantRequest(config, mfaGrant, { mfa_token: secondGrant?.mfa_token ?? '', otp: codeOf(step + 1) });

  const observed = {
    grant_types_supported: config.serverMetadata().grant_types_supported ?? null,
    enrolment: {
      secret: enrolment.body.secret,
      otpauth_uri: enrolment.body.otpauth_uri,
      qr_code_svg_start: String(enrolment.body.qr_code_svg ?? '').slice(0, 200),
    },
    parsed_uri: {
      type: totp instanceof OTPAuth.TOTP ? 'totp' : typeof totp,
      issuer: totp.issuer,
      label: totp.label,
      algorithm: totp.algorithm,
      digits: totp.digits,
      period: totp.period,
      secret: totp.secret.base32,
    },
    confirmation: { status: confirmation.status, recovery_codes: confirmation.body?.recovery_codes ?? null },
    password_step: { status: passwordStep.status, error: passwordStep.body?.error ?? null, has_mfa_token: typeof passwordStep.body?.mfa_token === 'string' },
    code_step: { status: codeStep.status, access_token: codeStep.body?.access_token ?? null },
    password_grant: passwordGrant && { ...passwordGrant, mfa_token: typeof passwordGrant.mfa_token === 'string' },
    replayed_code_grant: replay && { error: replay.error, status: replay.status },
    mfa_grant: { token_type: tokens.token_type, access_token: tokens.access_token, has_refresh_token: typeof tokens.refresh_token === 'string' },
  };
  process.stdout.write(JSON.stringify(observed) + '\n');
}

await run(main);
