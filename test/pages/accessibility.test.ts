import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { createConfirmedUser } from '../oauth/helpers.js';
import { SoftwareAuthenticator } from '../support/webauthn-authenticator.js';
import {
  CALLBACK,
  assertAccessible,
  authorizeUrl,
  createMfaPool,
  createWebClient,
  launchBrowser,
  createSignUpPool,
  type MfaFactors,
} from './browser.js';

let server: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let poolId: string;
let web: { id: string; secret: string | undefined };

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  poolId = await createSignUpPool(server, 'a11y');
  web = await createWebClient(server, poolId, { LogoutURLs: ['https://app.example.com/bye'] });
  await createConfirmedUser(server, poolId, 'alice', 'Correct-horse-1', { email: 'alice@example.com', email_verified: 'true', name: 'A' });
  ctx = await browser.newContext({ viewport: { width: 800, height: 1000 } });
});
after(async () => {
  await ctx.close();
  await browser.close();
  await server.stop();
});

/** A page of the pool with the authorization request, by path. */
function pageUrl(path: string, extra: Record<string, string> = {}): string {
  return `${server.url}/${poolId}${path}?${new URLSearchParams({ client_id: web.id, response_type: 'code', redirect_uri: CALLBACK, ...extra }).toString()}`;
}

async function submit(page: Page, button: string): Promise<void> {
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: button }).click()]);
  await page.waitForLoadState();
}

test('every managed login page and its error states has no WCAG 2.1 A/AA violation (axe-core)', async () => {
  const page = await ctx.newPage();
  const checked: string[] = [];
  const check = async (name: string): Promise<void> => {
    await assertAccessible(page, name);
    checked.push(name);
  };

  await page.goto(authorizeUrl(server, poolId, { client_id: web.id }));
  await check('sign-in');
  await submit(page, 'Sign in');
  await check('sign-in, empty');
  await page.getByLabel('Username', { exact: true }).fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('wrong');
  await submit(page, 'Sign in');
  await check('sign-in, wrong password');

  await page.goto(pageUrl('/signup'));
  await check('sign-up');
  await submit(page, 'Sign up');
  await check('sign-up, empty');
  await page.getByLabel('Username', { exact: true }).fill('alice');
  await page.getByLabel('Email', { exact: true }).fill('x');
  await page.getByLabel('Name', { exact: true }).fill('X');
  await page.getByLabel('Password', { exact: true }).fill('weak');
  await submit(page, 'Sign up');
  await check('sign-up, refused');

  await page.goto(pageUrl('/confirm', { username: 'alice' }));
  await check('confirm');
  await page.getByLabel('Verification code').fill('000000');
  await submit(page, 'Confirm account');
  await check('confirm, wrong code');

  await page.goto(pageUrl('/forgotPassword'));
  await check('forgot password');
  await submit(page, 'Reset my password');
  await check('forgot password, empty');

  await page.goto(pageUrl('/confirmforgotPassword', { username: 'alice' }));
  await check('reset password');
  await page.getByLabel('New password', { exact: true }).fill('a');
  await page.getByLabel('Enter new password again').fill('b');
  await submit(page, 'Change password');
  await check('reset password, problems');

  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'dave',
      TemporaryPassword: 'Temp-password-1',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }],
    }),
  );
  await page.goto(pageUrl('/login'));
  await page.getByLabel('Username', { exact: true }).fill('dave');
  await page.getByLabel('Password', { exact: true }).fill('Temp-password-1');
  await submit(page, 'Sign in');
  await page.waitForSelector('#new_password');
  await check('new password required');
  await submit(page, 'Send');
  await check('new password required, empty');

  // After logout with redirect_uri, the browser lands on the sign-in page again.
  await page.goto(
    `${server.url}/${poolId}/logout?${new URLSearchParams({ client_id: web.id, response_type: 'code', redirect_uri: CALLBACK }).toString()}`,
  );
  assert.equal(new URL(page.url()).pathname, `/${poolId}/login`);
  await check('sign-in after logout');

  // Confirming an account or changing a password ends on the sign-in page with a notice.
  await page.goto(pageUrl('/login'));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Username', { exact: true }).fill('alice');
  await submit(page, 'Reset my password');
  const code = (await server.lastMessage(poolId, 'alice', 'forgot-password'))?.code ?? '';
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('New password', { exact: true }).fill('New-password-2');
  await page.getByLabel('Enter new password again').fill('New-password-2');
  await submit(page, 'Change password');
  await page.waitForSelector('.notice');
  await check('sign-in with a notice');

  await page.goto(`${server.url}/${poolId}/error?error=redirect_mismatch&client_id=${web.id}`);
  await check('error page');

  await page.goto(`${server.url}/${poolId}/login?client_id=${web.id}&response_type=code&redirect_uri=${CALLBACK}`);
  await page.context().clearCookies();
  await page.getByLabel('Username', { exact: true }).fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('x');
  await submit(page, 'Sign in');
  await check('form expired (CSRF)');

  assert.equal(checked.length, 18);
  await page.close();
});

test('the passkey pages and their error states have no WCAG 2.1 A/AA violation (axe-core)', async () => {
  const passkeyPool = (
    await server.admin.send(
      new CreateUserPoolCommand({
        PoolName: 'a11y passkeys',
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
      }),
    )
  ).UserPool!.Id!;
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: passkeyPool, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }),
  );
  const client = await createWebClient(server, passkeyPool, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  await createConfirmedUser(server, passkeyPool, 'pat', 'Correct-horse-1', { email: 'pat@example.com' });
  await createConfirmedUser(server, passkeyPool, 'kim', 'Correct-horse-1', { email: 'kim@example.com' });
  // Kim has a passkey, registered through the API with a software authenticator.
  const signedIn = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: passkeyPool,
      ClientId: client.id,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: 'kim', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Correct-horse-1' },
    }),
  );
  const accessToken = signedIn.AuthenticationResult!.AccessToken!;
  const started = await server.anonymous.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
  const authenticator = new SoftwareAuthenticator('http://localhost:8443');
  const options = started.CredentialCreationOptions as unknown as Parameters<SoftwareAuthenticator['register']>[0];
  await server.anonymous.send(
    new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: authenticator.register(options) as never }),
  );

  // The pages are on http://127.0.0.1, where the browser refuses the relying party `localhost`: each
  // ceremony then says so in its status line, which is checked too.
  const page = await (await browser.newContext({ viewport: { width: 800, height: 1000 } })).newPage();
  const checked: string[] = [];
  const check = async (name: string): Promise<void> => {
    await assertAccessible(page, name);
    checked.push(name);
  };
  await page.goto(authorizeUrl(server, passkeyPool, { client_id: client.id }));
  await check('sign-in with a passkey button');
  await page.getByLabel('Username', { exact: true }).fill('pat');
  await submit(page, 'Sign in with passkey');
  await page.waitForSelector('.errorMessage-customizable');
  await check('passkey sign-in, no passkey');
  await page.getByLabel('Username', { exact: true }).fill('kim');
  await submit(page, 'Sign in with passkey');
  await page.waitForSelector('#passkeyStatus:not(:empty)');
  await check('passkey sign-in');
  await page.goto(authorizeUrl(server, passkeyPool, { client_id: client.id }));
  await page.getByLabel('Username', { exact: true }).fill('pat');
  await page.getByLabel('Password', { exact: true }).fill('Correct-horse-1');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForSelector('form[data-passkey="create"]');
  await check('add a passkey');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.waitForSelector('#passkeyStatus:not(:empty)');
  await check('add a passkey, refused');
  assert.equal(checked.length, 5);
  await page.context().close();
});

/** A pool with MFA as given and its web client. */
async function mfaPool(name: string, mode: 'OPTIONAL' | 'ON', factors?: MfaFactors): Promise<{ poolId: string; clientId: string }> {
  const id = await createMfaPool(server, name, mode, factors);
  return { poolId: id, clientId: (await createWebClient(server, id)).id };
}

test('the MFA pages (choice, code, authenticator setup) and their error states have no WCAG 2.1 A/AA violation (axe-core)', async () => {
  const page = await ctx.newPage();
  const checked: string[] = [];
  const check = async (name: string): Promise<void> => {
    await assertAccessible(page, name);
    checked.push(name);
  };
  const signIn = async (pool: { poolId: string; clientId: string }, username: string): Promise<void> => {
    await page.goto(authorizeUrl(server, pool.poolId, { client_id: pool.clientId, prompt: 'login' }));
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill('Correct-horse-1');
    await submit(page, 'Sign in');
  };

  const optional = await mfaPool('a11y-mfa', 'OPTIONAL');
  await createConfirmedUser(server, optional.poolId, 'mia', 'Correct-horse-1', { phone_number: '+15555550123', email: 'mia@example.com' });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: optional.poolId,
      Username: 'mia',
      SMSMfaSettings: { Enabled: true },
      EmailMfaSettings: { Enabled: true },
    }),
  );
  await signIn(optional, 'mia');
  await page.waitForSelector('fieldset.choices');
  await check('MFA choice');
  await submit(page, 'Continue');
  await page.waitForSelector('#mfaCode');
  await check('MFA code');
  await submit(page, 'Sign in');
  await check('MFA code, empty');
  await page.getByLabel('Code', { exact: true }).fill('000000');
  await submit(page, 'Sign in');
  await check('MFA code, wrong code');

  const required = await mfaPool('a11y-mfa-on', 'ON', { SoftwareTokenMfaConfiguration: { Enabled: true } });
  await createConfirmedUser(server, required.poolId, 'noa', 'Correct-horse-1', {});
  await signIn(required, 'noa');
  await page.waitForSelector('#totpQrCode');
  await check('authenticator setup');
  await page.getByLabel('Code from your authenticator app').fill('000000');
  await submit(page, 'Sign in');
  await page.waitForSelector('#totpCode_error');
  await check('authenticator setup, wrong code');

  assert.equal(checked.length, 6);
  await page.close();
});
