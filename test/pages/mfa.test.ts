import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { TOTP, URI } from 'otpauth';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  VerifySoftwareTokenCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FrozenClock } from '../../src/lib/clock.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSmsReceiver, type SmsReceiver } from '../support/sms.js';
import { codeInMail, startSmtpSink, type SmtpSink } from '../support/smtp.js';
import { totpForStep } from '../support/totp.js';
import { waitUntil } from '../support/wait.js';
import { createAppClient, createConfirmedUser } from '../oauth/helpers.js';
import {
  ALL_MFA_FACTORS,
  authorizeUrl,
  captureCallback,
  claims,
  createMfaPool,
  createWebClient,
  exchangeCode,
  launchBrowser,
  screenshot,
  CALLBACK,
  type MfaFactors,
  expectFocus,
} from './browser.js';

// The managed login's MFA pages, driven in Chromium as a user would: the code of an authenticator
// app, of an SMS (from the SMS webhook) and of an email (from a real SMTP server), the choice
// between two factors, and the setup of an authenticator from the page's QR code.

// The server's clock is frozen, so the test knows which TOTP step it is in.
const clock = FrozenClock.atNow();
let server: TestServer;
let browser: Browser;
let sms: SmsReceiver;
let smtp: SmtpSink;
let seq = 0;
const PASSWORD = 'Correct-horse-1';

before(async () => {
  sms = await startSmsReceiver({ kind: 'webhook' });
  smtp = await startSmtpSink();
  server = await startTestServer({ smsWebhookUrl: sms.url, smtpUrl: smtp.url }, { clock });
  browser = await launchBrowser();
});
after(async () => {
  await browser.close();
  await server.stop();
  await sms.stop();
  await smtp.stop();
});

interface MfaPool {
  poolId: string;
  web: { id: string; secret: string | undefined };
  /** A client the test signs users in with through the SDK, to enrol an authenticator. */
  sdkClientId: string;
}

/**
 * A pool with MFA as given (TOTP, SMS and email MFA unless told) and other `pool` settings, its web
 * client (with the `client` settings: a secret, which the pages then prove in each answer) and an
 * SDK client.
 */
async function mfaPool(
  mode: 'OPTIONAL' | 'ON',
  factors?: MfaFactors,
  options: { pool?: Partial<CreateUserPoolCommandInput>; client?: Partial<CreateUserPoolClientCommandInput> } = {},
): Promise<MfaPool> {
  const poolId = await createMfaPool(server, `pages-mfa-${++seq}`, mode, factors, options.pool);
  const web = await createWebClient(server, poolId, options.client);
  const sdk = await createAppClient(server, poolId, {
    ClientName: 'sdk',
    ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  return { poolId, web, sdkClientId: sdk.id };
}

/** The TOTP step the server's clock is in. */
function currentStep(): number {
  return Math.floor(clock.now() / 30_000);
}

/**
 * Enrols an authenticator for `username` through the SDK (signed in, AssociateSoftwareToken,
 * VerifySoftwareToken, TOTP preferred) and returns its secret; the step it used is spent.
 */
async function enrolTotp(pool: MfaPool, username: string): Promise<string> {
  const signedIn = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.sdkClientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  const accessToken = signedIn.AuthenticationResult?.AccessToken ?? assert.fail('the SDK sign-in returned no tokens');
  const { SecretCode } = await server.anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  const secret = SecretCode ?? assert.fail('AssociateSoftwareToken returned no secret');
  const verified = await server.anonymous.send(
    new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpForStep(secret, currentStep()) }),
  );
  assert.equal(verified.Status, 'SUCCESS');
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: pool.poolId,
      Username: username,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  return secret;
}

async function context(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 800, height: 900 } });
}

/** Opens the authorization request with PKCE, which shows the sign-in page; returns the PKCE verifier. */
async function openSignIn(page: Page, pool: MfaPool, state: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  await page.goto(
    authorizeUrl(server, pool.poolId, {
      client_id: pool.web.id,
      scope: 'openid',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
  );
  return verifier;
}

/** Opens the authorization request with PKCE and signs in with the password; returns the PKCE verifier. */
async function signInWithPassword(page: Page, pool: MfaPool, username: string, state: string, password = PASSWORD): Promise<string> {
  const verifier = await openSignIn(page, pool, state);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
  assert.equal(response.status(), 200, `the password page answers with the next page (${await page.title()})`);
  await page.waitForLoadState();
  return verifier;
}

/** Submits the page's form with `button` and returns the status of the POST's answer. */
async function submit(page: Page, button: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

/**
 * Enters a right code and submits: the browser goes to the app with a code that /oauth2/token
 * exchanges for tokens of `username`.
 */
async function finishWithCode(page: Page, pool: MfaPool, label: string, code: string, verifier: string, username: string): Promise<void> {
  const callback = captureCallback(page);
  await page.getByLabel(label).fill(code);
  const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(`${redirected.origin}${redirected.pathname}`, CALLBACK);
  const tokens = await exchangeCode(
    server,
    pool.poolId,
    {
      client_id: pool.web.id,
      code: redirected.searchParams.get('code') ?? '',
      code_verifier: verifier,
    },
    pool.web.secret,
  );
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  assert.equal(claims(tokens.body['id_token'])['cognito:username'], username);
}

/**
 * What an authenticator app reads from the setup page's QR code: the image as the browser shows it,
 * decoded, and its key URI parsed; a TOTP of six digits every 30 seconds, whose secret the page
 * also shows as text.
 */
async function scanQrCode(page: Page): Promise<TOTP> {
  const png = PNG.sync.read(await page.locator('#totpQrCode').screenshot());
  // jsqr is CommonJS: its function is the module, and its `default` too, which is what the types know.
  const decoded = jsQR.default(new Uint8ClampedArray(png.data), png.width, png.height);
  const uri = decoded?.data ?? assert.fail('the QR code on the page does not decode');
  const totp = URI.parse(uri);
  assert.ok(totp instanceof TOTP, `a TOTP key URI: ${uri}`);
  assert.equal(totp.digits, 6);
  assert.equal(totp.period, 30);
  assert.equal(await page.locator('#totpSecret').innerText(), totp.secret.base32, 'the key as text is the one in the QR code');
  return totp;
}

/** The SMS that arrives for `phone`, with a deadline. */
function smsTo(phone: string, after: number): Promise<string> {
  return waitUntil(() => sms.received.slice(after).find((m) => m.phoneNumber === phone)?.message, `an SMS to ${phone}`);
}

/** The code of the mail that arrives for `address`, with a deadline. */
async function mailedCode(address: string, after: number): Promise<string> {
  const mail = await waitUntil(
    () => smtp.received.slice(after).find((m) => m.envelope.to.includes(address))?.mail,
    `a mail to ${address} at the SMTP server`,
  );
  return codeInMail(mail);
}

test("a TOTP user enters the authenticator's code: a wrong one shows Cognito's message, the right one reaches the app", async (t) => {
  const pool = await mfaPool('OPTIONAL');
  await createConfirmedUser(server, pool.poolId, 'tina', PASSWORD, {});
  const secret = await enrolTotp(pool, 'tina');
  const ctx = await context();
  const page = await ctx.newPage();
  const verifier = await signInWithPassword(page, pool, 'tina', 'st-totp');
  assert.equal(new URL(page.url()).pathname, `/${pool.poolId}/login`);
  assert.equal(await page.title(), 'Multi-factor authentication');
  assert.equal(await page.locator('#mfaCodeDescription').innerText(), 'Enter the code from your authenticator app to complete sign-in.');
  await expectFocus(page, 'mfaCode');
  t.diagnostic(`screenshot: ${await screenshot(page, 'mfa-totp')}`);

  // A code of a step far from now is wrong: the page again, 400, with Cognito's text beside the field.
  await page.getByLabel('Code').fill(totpForStep(secret, currentStep() + 10));
  assert.equal(await submit(page, 'Sign in'), 400);
  assert.equal(await page.locator('#mfaCode_error').innerText(), 'Invalid code received for user');
  assert.equal(await page.getByLabel('Code').getAttribute('aria-invalid'), 'true');
  t.diagnostic(`screenshot: ${await screenshot(page, 'mfa-totp-wrong-code')}`);

  // The enrolment spent the current step: the app's next code is the one that works.
  await finishWithCode(page, pool, 'Code', totpForStep(secret, currentStep() + 1), verifier, 'tina');
  await ctx.close();
});

test('an MFA session that was spent, or has expired, sends the user back to sign in with the message', async () => {
  const pool = await mfaPool('OPTIONAL');
  await createConfirmedUser(server, pool.poolId, 'tess', PASSWORD, {});
  const secret = await enrolTotp(pool, 'tess');
  const ctx = await context();
  const page = await ctx.newPage();
  const verifier = await signInWithPassword(page, pool, 'tess', 'st-spent');
  // The form as the browser posts it, kept to post again once it has signed the user in.
  const action = (await page.locator('form').getAttribute('action')) ?? assert.fail('the code page has no form');
  const hidden = await page
    .locator('form input[type=hidden]')
    .evaluateAll((inputs) => inputs.map((input) => [(input as HTMLInputElement).name, (input as HTMLInputElement).value] as const));
  await finishWithCode(page, pool, 'Code', totpForStep(secret, currentStep() + 1), verifier, 'tess');
  const replay = await ctx.request.post(action, {
    form: { ...Object.fromEntries(hidden), code: totpForStep(secret, currentStep() + 2) },
    maxRedirects: 0,
  });
  assert.equal(replay.status(), 400);
  const body = await replay.text();
  assert.match(body, /<title>Sign in<\/title>/);
  assert.match(body, /role="alert" id="errorMessage">Invalid session for the user\.</);
  await ctx.close();

  // A session past its three minutes: the same, with the engine's words for it.
  const later = await context();
  const slow = await later.newPage();
  await signInWithPassword(slow, pool, 'tess', 'st-expired');
  const now = clock.now();
  clock.advance(3 * 60_000 + 1_000);
  try {
    await slow.getByLabel('Code').fill(totpForStep(secret, currentStep()));
    assert.equal(await submit(slow, 'Sign in'), 400);
  } finally {
    clock.set(now);
  }
  assert.equal(await slow.title(), 'Sign in');
  assert.equal(await slow.locator('.errorMessage-customizable').innerText(), 'Invalid session for the user, session is expired.');
  await later.close();
});

test('the MFA pages carry a hostile username as text, and refuse a post without the CSRF token', async () => {
  const pool = await mfaPool('OPTIONAL');
  const hostile = `"><b/id=injected>x</b>'`;
  await createConfirmedUser(server, pool.poolId, hostile, PASSWORD, { phone_number: '+15555550188' });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: pool.poolId,
      Username: hostile,
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  const ctx = await context();
  const page = await ctx.newPage();
  await signInWithPassword(page, pool, hostile, 'st-hostile');
  assert.equal(await page.locator('#injected').count(), 0);
  assert.equal(await page.locator('input[name=username]').inputValue(), hostile);
  const action = (await page.locator('form').getAttribute('action')) ?? assert.fail('the code page has no form');
  const hidden = await page
    .locator('form input[type=hidden]')
    .evaluateAll((inputs) => inputs.map((input) => [(input as HTMLInputElement).name, (input as HTMLInputElement).value] as const));
  const fields = Object.fromEntries(hidden.filter(([name]) => name !== '_csrf'));
  const forged = await ctx.request.post(action, { form: { ...fields, code: '123456' }, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  assert.match(await forged.text(), /This form has expired/);
  await ctx.close();
});

test('where managed login offers passkeys, the offer to add one comes after the MFA code, not before', async () => {
  const pool = await mfaPool(
    'OPTIONAL',
    { SoftwareTokenMfaConfiguration: { Enabled: true } },
    {
      pool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } },
      client: { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    },
  );
  await createConfirmedUser(server, pool.poolId, 'pia', PASSWORD, {});
  const secret = await enrolTotp(pool, 'pia');
  const ctx = await context();
  const page = await ctx.newPage();
  const callback = captureCallback(page);
  await signInWithPassword(page, pool, 'pia', 'st-passkey-offer');
  assert.equal(await page.title(), 'Multi-factor authentication');
  await page.getByLabel('Code').fill(totpForStep(secret, currentStep() + 1));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/passkeys/add'));
  assert.equal(await page.title(), 'Add a passkey');
  const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Not now' }).click()]);
  assert.equal(redirected.searchParams.get('state'), 'st-passkey-offer');
  await ctx.close();
});

test('an SMS MFA user is told where the code went, gets the SMS and enters its code', async (t) => {
  const pool = await mfaPool('OPTIONAL');
  await createConfirmedUser(server, pool.poolId, 'sam', PASSWORD, { phone_number: '+15555550155' });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: pool.poolId,
      Username: 'sam',
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  const before = sms.received.length;
  const ctx = await context();
  const page = await ctx.newPage();
  const verifier = await signInWithPassword(page, pool, 'sam', 'st-sms');
  assert.equal(
    await page.locator('#mfaCodeDescription').innerText(),
    'We have delivered the authentication code by SMS to +*******0155. Please enter the code to complete authentication.',
  );
  t.diagnostic(`screenshot: ${await screenshot(page, 'mfa-sms')}`);
  const message = await smsTo('+15555550155', before);
  const code = /\b(\d{6})\b/.exec(message)?.[1] ?? assert.fail(`no code in the SMS: ${message}`);

  await page.getByLabel('Code').fill(code === '000000' ? '111111' : '000000');
  assert.equal(await submit(page, 'Sign in'), 400);
  assert.equal(await page.locator('#mfaCode_error').innerText(), 'Invalid code or auth state for the user.');
  // The destination stays on the page after a wrong code.
  assert.match(await page.locator('#mfaCodeDescription').innerText(), /by SMS to \+\*{7}0155\./);
  await finishWithCode(page, pool, 'Code', code, verifier, 'sam');
  await ctx.close();
});

test('a user whose temporary password is replaced on the new-password page then gets the MFA code page', async () => {
  const pool = await mfaPool('ON', { SmsMfaConfiguration: ALL_MFA_FACTORS.SmsMfaConfiguration });
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.poolId,
      Username: 'nora',
      TemporaryPassword: 'Temp-password-1',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'phone_number', Value: '+15555550166' }],
    }),
  );
  const before = sms.received.length;
  const ctx = await context();
  const page = await ctx.newPage();
  const verifier = await signInWithPassword(page, pool, 'nora', 'st-new-password', 'Temp-password-1');
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Enter new password again').fill(PASSWORD);
  assert.equal(await submit(page, 'Send'), 200);
  // The pool requires MFA and the user has a phone number: an SMS code, no setup.
  assert.match(await page.locator('#mfaCodeDescription').innerText(), /by SMS to \+\*{7}0166\./);
  const message = await smsTo('+15555550166', before);
  const code = /\b(\d{6})\b/.exec(message)?.[1] ?? assert.fail(`no code in the SMS: ${message}`);
  await finishWithCode(page, pool, 'Code', code, verifier, 'nora');
  await ctx.close();
});

test('an email MFA user reads the code from the mail the SMTP server took, and enters it', async (t) => {
  const pool = await mfaPool('OPTIONAL');
  await createConfirmedUser(server, pool.poolId, 'emma', PASSWORD, { email: 'emma@example.com' });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: pool.poolId,
      Username: 'emma',
      EmailMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  const before = smtp.received.length;
  const ctx = await context();
  const page = await ctx.newPage();
  const verifier = await signInWithPassword(page, pool, 'emma', 'st-email');
  assert.equal(
    await page.locator('#mfaCodeDescription').innerText(),
    'We have delivered the authentication code by email to e***@e***. Please enter the code to complete authentication.',
  );
  t.diagnostic(`screenshot: ${await screenshot(page, 'mfa-email')}`);
  await finishWithCode(page, pool, 'Code', await mailedCode('emma@example.com', before), verifier, 'emma');
  await ctx.close();
});

test('a user with two factors and no preference chooses one, then enters its code (the app client has a secret)', async (t) => {
  const pool = await mfaPool('OPTIONAL', undefined, { client: { GenerateSecret: true } });
  await createConfirmedUser(server, pool.poolId, 'tom', PASSWORD, { phone_number: '+15555550177', email: 'tom@example.com' });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: pool.poolId,
      Username: 'tom',
      SMSMfaSettings: { Enabled: true },
      EmailMfaSettings: { Enabled: true },
    }),
  );
  const smsBefore = sms.received.length;
  const mailBefore = smtp.received.length;
  const ctx = await context();
  const page = await ctx.newPage();
  const verifier = await signInWithPassword(page, pool, 'tom', 'st-select');
  assert.equal(await page.locator('h1').innerText(), 'Choose how to verify your sign-in');
  assert.deepEqual(await page.getByRole('radio').evaluateAll((radios) => radios.map((r) => (r as HTMLInputElement).value)), [
    'SMS_MFA',
    'EMAIL_OTP',
  ]);
  assert.equal(await page.getByRole('radio', { name: 'Text message (SMS)' }).isChecked(), true);
  t.diagnostic(`screenshot: ${await screenshot(page, 'mfa-select')}`);
  // No code is sent before the user chooses.
  assert.equal(sms.received.length, smsBefore);

  await page.getByRole('radio', { name: 'Email' }).check();
  assert.equal(await submit(page, 'Continue'), 200);
  assert.match(await page.locator('#mfaCodeDescription').innerText(), /by email to t\*\*\*@e\*\*\*\./);
  await finishWithCode(page, pool, 'Code', await mailedCode('tom@example.com', mailBefore), verifier, 'tom');
  assert.equal(sms.received.slice(smsBefore).filter((m) => m.phoneNumber === '+15555550177').length, 0, 'no SMS for the factor not chosen');
  await ctx.close();
});

test('in a pool with MFA on, a new user enrols an authenticator from the QR code and signs in; the next sign-in asks only for its code', async (t) => {
  const pool = await mfaPool('ON', { SoftwareTokenMfaConfiguration: { Enabled: true } });
  await createConfirmedUser(server, pool.poolId, 'nina', PASSWORD, {});
  const ctx = await context();
  const page = await ctx.newPage();
  const verifier = await signInWithPassword(page, pool, 'nina', 'st-setup');
  assert.equal(await page.locator('h1').innerText(), 'Set up an authenticator app');
  t.diagnostic(`screenshot: ${await screenshot(page, 'mfa-setup')}`);

  const totp = await scanQrCode(page);
  assert.equal(totp.issuer, 'Web app');
  assert.equal(totp.label, 'nina');
  const secret = totp.secret.base32;

  // A wrong first code: the page again with Cognito's message and the same key.
  await page.getByLabel('Code from your authenticator app').fill(totpForStep(secret, currentStep() + 10));
  assert.equal(await submit(page, 'Sign in'), 400);
  assert.equal(await page.locator('#totpCode_error').innerText(), 'Code mismatch and fail enable Software Token MFA');
  assert.equal(await page.locator('#totpSecret').innerText(), secret);
  t.diagnostic(`screenshot: ${await screenshot(page, 'mfa-setup-wrong-code')}`);

  await finishWithCode(page, pool, 'Code from your authenticator app', totp.generate({ timestamp: clock.now() }), verifier, 'nina');
  await ctx.close();

  // The next sign-in, in another browser, asks for the authenticator's code only.
  const again = await context();
  const second = await again.newPage();
  const verifier2 = await signInWithPassword(second, pool, 'nina', 'st-setup-2');
  assert.equal(await second.locator('#mfaCodeDescription').innerText(), 'Enter the code from your authenticator app to complete sign-in.');
  assert.equal(await second.locator('#totpQrCode').count(), 0);
  await finishWithCode(second, pool, 'Code', totpForStep(secret, currentStep() + 1), verifier2, 'nina');
  await again.close();
});

test('a new user signs up, confirms with the mailed code, and enrols an authenticator from the QR code (MFA on)', async (t) => {
  const pool = await mfaPool(
    'ON',
    { SoftwareTokenMfaConfiguration: { Enabled: true } },
    {
      pool: {
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
      },
    },
  );
  const before = smtp.received.length;
  const ctx = await context();
  const page = await ctx.newPage();
  const verifier = await openSignIn(page, pool, 'st-sign-up');
  await page.getByRole('link', { name: 'Sign up' }).click();
  await page.getByLabel('Username').fill('una');
  await page.getByLabel('Email').fill('una@example.com');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  assert.equal(await submit(page, 'Sign up'), 200);
  await page.getByLabel('Verification code').fill(await mailedCode('una@example.com', before));
  assert.equal(await submit(page, 'Confirm account'), 200);
  assert.equal(await page.locator('h1').innerText(), 'Set up an authenticator app');
  t.diagnostic(`screenshot: ${await screenshot(page, 'mfa-setup-after-sign-up')}`);
  const totp = await scanQrCode(page);
  await finishWithCode(page, pool, 'Code from your authenticator app', totp.generate({ timestamp: clock.now() }), verifier, 'una');
  await ctx.close();
});

test('in a pool with MFA on by email only, a user without an email address is told why sign-in cannot go on', async () => {
  const pool = await mfaPool('ON', { EmailMfaConfiguration: {} });
  await createConfirmedUser(server, pool.poolId, 'ned', PASSWORD, {});
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(authorizeUrl(server, pool.poolId, { client_id: pool.web.id }));
  await page.getByLabel('Username').fill('ned');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  assert.equal(await submit(page, 'Sign in'), 400);
  assert.equal(
    await page.locator('.errorMessage-customizable').innerText(),
    'This account must use multi-factor authentication, but it has no email address to send codes to, and this page cannot add one. Ask your administrator to add one to your account.',
  );
  await ctx.close();
});
