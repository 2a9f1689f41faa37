import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  AdminSetUserMFAPreferenceCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { createConfirmedUser } from '../oauth/helpers.js';
import { newSealedTotpSecret } from '../../src/auth/totp.js';
import { authorizeUrl, createWebClient, launchBrowser } from './browser.js';

// Managed login has no MFA pages yet: a user whose sign-in needs a second factor must not get
// through it with the password alone.

let server: TestServer;
let browser: Browser;
const PASSWORD = 'Correct-horse-1';

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser.close();
  await server.stop();
});

test('a user with TOTP MFA on is not signed in by the password alone in managed login', async () => {
  const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'pages-mfa' }))).UserPool!.Id!;
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }),
  );
  const web = await createWebClient(server, poolId);
  await createConfirmedUser(server, poolId, 'alice', PASSWORD, {});
  // An authenticator as VerifySoftwareToken leaves it.
  const user = (await server.services.store.users.get(poolId, 'alice'))!;
  const { sealed } = newSealedTotpSecret(server.services);
  await server.services.store.users.update({ ...user, extra: { ...user.extra, mfa: { totpSecret: sealed } } });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'alice', SoftwareTokenMfaSettings: { Enabled: true } }),
  );

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id }));
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  assert.equal(response.status(), 400, 'the form answers, and no redirect with a code');
  assert.equal(await page.locator('.errorMessage-customizable').innerText(), 'This sign-in step is not available on this page.');
  await ctx.close();
});
