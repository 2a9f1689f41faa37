import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { SignUpCommand, AdminCreateUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { createConfirmedUser } from '../oauth/helpers.js';
import { secretHash } from '../api/auth-fixtures.js';
import {
  authorizeUrl,
  captureCallback,
  claims,
  createWebClient,
  exchangeCode,
  launchBrowser,
  screenshot,
  createSignUpPool,
  expectFocus,
} from './browser.js';

let server: TestServer;
let browser: Browser;
let poolId: string;
let web: { id: string; secret: string | undefined };

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  poolId = await createSignUpPool(server, 'accounts');
  // A confidential client: the pages prove its secret themselves.
  web = await createWebClient(server, poolId, { GenerateSecret: true });
});
after(async () => {
  await browser.close();
  await server.stop();
});

async function context(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 800, height: 900 } });
}

async function code(username: string, purpose: string): Promise<string> {
  const message = await server.lastMessage(poolId, username, purpose);
  assert.ok(message?.code, `a ${purpose} code for ${username}`);
  return message.code;
}

test('sign up with the required attributes, confirm with the emailed code, and land signed in', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const callback = captureCallback(page);
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'signup', scope: 'openid email profile' }));
  await page.getByRole('link', { name: 'Sign up' }).click();
  assert.equal(new URL(page.url()).pathname, `/${poolId}/signup`);
  await expectFocus(page, 'signUpUsername');
  t.diagnostic(`screenshot: ${await screenshot(page, 'signup')}`);

  await page.getByLabel('Username', { exact: true }).fill('bob');
  await page.getByLabel('Email', { exact: true }).fill('bob@example.com');
  await page.getByLabel('Name', { exact: true }).fill('Bob <b>Builder</b>');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForSelector('.errorMessage-customizable');
  // The policy's refusal is said in plain words beside the password, which describes it.
  assert.equal(await page.locator('.errorMessage-customizable').innerText(), 'Check the field marked below.');
  assert.equal(await page.locator('#signUpPassword_error').innerText(), 'Use at least 8 characters.');
  assert.equal(await page.locator('#signUpPassword').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#signUpPassword').getAttribute('aria-describedby'), 'signUpPassword_error passwordRules');
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Bob <b>Builder</b>');
  await expectFocus(page, 'signUpPassword');
  t.diagnostic(`screenshot: ${await screenshot(page, 'signup-weak-password')}`);

  await page.getByLabel('Password', { exact: true }).fill('Sturdy-pass-1');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForSelector('#verification_code');
  assert.match(
    await page.locator('p.textDescription-customizable').innerText(),
    /^We have sent a code by email to b\*\*\*@e\*\*\*\. Enter it below to confirm your account\.$/,
  );
  t.diagnostic(`screenshot: ${await screenshot(page, 'confirm')}`);

  await page.getByLabel('Verification code').fill('000000');
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await page.waitForSelector('.errorMessage-customizable');
  assert.equal(
    await page.locator('#verification_code_error').innerText(),
    'This code is not right. Check the code in the message we sent and enter it again.',
  );
  assert.equal(await page.locator('#verification_code').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Verification code').fill(await code('bob', 'signup'));
  const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Confirm account' }).click()]);
  assert.equal(redirected.searchParams.get('state'), 'signup');
  const tokens = await exchangeCode(server, poolId, { client_id: web.id, code: redirected.searchParams.get('code') ?? '' }, web.secret);
  assert.equal(tokens.status, 200);
  const id = claims(tokens.body['id_token']);
  assert.equal(id['cognito:username'], 'bob');
  assert.equal(id['name'], 'Bob <b>Builder</b>');
  assert.equal(id['email_verified'], true);
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob' }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  await ctx.close();
});

test('forgot password → code by email → new password → sign in with it', async (t) => {
  await createConfirmedUser(server, poolId, 'carol', 'Old-password-1', {
    email: 'carol@example.com',
    email_verified: 'true',
    name: 'Carol',
  });
  const ctx = await context();
  const page = await ctx.newPage();
  const callback = captureCallback(page);
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'reset' }));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  t.diagnostic(`screenshot: ${await screenshot(page, 'forgot-password')}`);
  await page.getByLabel('Username', { exact: true }).fill('carol');
  await page.getByRole('button', { name: 'Reset my password' }).click();
  await page.waitForSelector('#forgot_password_code');
  assert.equal(
    await page.locator('p.textDescription-customizable').innerText(),
    'We have sent a password reset code by email to c***@e***. Enter it below to reset your password.',
  );
  const resetCode = await code('carol', 'forgot-password');
  await page.getByLabel('Code').fill(resetCode);
  await page.getByLabel('New password', { exact: true }).fill('New-password-2');
  await page.getByLabel('Enter new password again').fill('New-password-3');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForSelector('.errorMessage-customizable');
  assert.equal(await page.locator('#confirm_password_error').innerText(), 'The passwords do not match. Enter the same new password twice.');
  await expectFocus(page, 'confirm_password');
  t.diagnostic(`screenshot: ${await screenshot(page, 'confirm-forgot-password')}`);

  await page.getByLabel('Code').fill(resetCode);
  await page.getByLabel('New password', { exact: true }).fill('New-password-2');
  await page.getByLabel('Enter new password again').fill('New-password-2');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForSelector('.notice');
  assert.equal(await page.locator('.notice').innerText(), 'Your password has been changed. Sign in with your new password.');
  assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), 'carol');
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-after-reset')}`);

  await page.getByLabel('Password', { exact: true }).fill('New-password-2');
  const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(redirected.searchParams.get('state'), 'reset');
  assert.ok(redirected.searchParams.get('code'));
  await ctx.close();
});

test('a user created by an administrator sets a new password (and a missing required attribute) at first sign-in', async (t) => {
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'dave',
      TemporaryPassword: 'Temp-password-1',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }],
    }),
  );
  const ctx = await context();
  const page = await ctx.newPage();
  const callback = captureCallback(page);
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'first', scope: 'openid profile' }));
  await page.getByLabel('Username', { exact: true }).fill('dave');
  await page.getByLabel('Password', { exact: true }).fill('Temp-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('#new_password');
  assert.equal(await page.locator('h1').innerText(), 'Change password');
  await expectFocus(page, 'new_password');
  t.diagnostic(`screenshot: ${await screenshot(page, 'new-password-required')}`);

  await page.getByLabel('New password', { exact: true }).fill('Dave-new-pass-1');
  await page.getByLabel('Enter new password again').fill('Dave-new-pass-1');
  await page.getByLabel('Name', { exact: true }).fill('Dave');
  const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Send' }).click()]);
  assert.equal(redirected.searchParams.get('state'), 'first');
  const tokens = await exchangeCode(server, poolId, { client_id: web.id, code: redirected.searchParams.get('code') ?? '' }, web.secret);
  assert.equal(tokens.status, 200);
  assert.equal(claims(tokens.body['id_token'])['name'], 'Dave');
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dave' }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  await ctx.close();
});

test('an unconfirmed user who signs in with the right password is sent to confirm, then signed in', async (t) => {
  await server.anonymous.send(
    new SignUpCommand({
      ClientId: web.id,
      Username: 'erin',
      Password: 'Erin-password-1',
      SecretHash: secretHash(web.secret ?? '', 'erin', web.id),
      UserAttributes: [
        { Name: 'email', Value: 'erin@example.com' },
        { Name: 'name', Value: 'Erin' },
      ],
    }),
  );
  const ctx = await context();
  const page = await ctx.newPage();
  const callback = captureCallback(page);
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'late' }));
  await page.getByLabel('Username', { exact: true }).fill('erin');
  await page.getByLabel('Password', { exact: true }).fill('Erin-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('#verification_code');
  await expectFocus(page, 'verification_code');

  // Sending a new code replaces the first; the latest one confirms.
  await page.getByRole('button', { name: 'Send a new code' }).click();
  await page.waitForSelector('#verification_code');
  assert.match(await page.locator('p.textDescription-customizable').innerText(), /^We have sent a new code by email to e\*\*\*@e\*\*\*\./);
  t.diagnostic(`screenshot: ${await screenshot(page, 'confirm-resent')}`);
  await page.getByLabel('Verification code').fill(await code('erin', 'signup'));
  const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Confirm account' }).click()]);
  assert.equal(redirected.searchParams.get('state'), 'late');
  await ctx.close();
});
