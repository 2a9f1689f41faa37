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
let seq = 0;
const PASSWORD = 'Correct-horse-1';

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser.close();
  await server.stop();
});

/** A pool offering TOTP and SMS MFA, its web client, and a user `alice` with a phone number. */
async function mfaPool(): Promise<{ poolId: string; clientId: string }> {
  const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: `pages-mfa-${++seq}` }))).UserPool!.Id!;
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sns', ExternalId: 'cognate' } },
    }),
  );
  const web = await createWebClient(server, poolId);
  await createConfirmedUser(server, poolId, 'alice', PASSWORD, { phone_number: '+15555550155' });
  return { poolId, clientId: web.id };
}

/** Signs `alice` in on the managed login page and expects the refusal, with no redirect and no code. */
async function expectRefusal(poolId: string, clientId: string): Promise<void> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(authorizeUrl(server, poolId, { client_id: clientId }));
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  assert.equal(response.status(), 400, 'the form answers, and no redirect with a code');
  assert.equal(await page.locator('.errorMessage-customizable').innerText(), 'This sign-in step is not available on this page.');
  await ctx.close();
}

test('a user with TOTP MFA on is not signed in by the password alone in managed login', async () => {
  const { poolId, clientId } = await mfaPool();
  // An authenticator as VerifySoftwareToken leaves it.
  const user = (await server.services.store.users.get(poolId, 'alice'))!;
  const { sealed } = newSealedTotpSecret(server.services);
  await server.services.store.users.update({ ...user, extra: { ...user.extra, mfa: { totpSecret: sealed } } });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'alice', SoftwareTokenMfaSettings: { Enabled: true } }),
  );
  await expectRefusal(poolId, clientId);
});

test('a user with SMS MFA on is refused there too, and no code is sent for a step the page cannot take', async () => {
  const { poolId, clientId } = await mfaPool();
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'alice', SMSMfaSettings: { Enabled: true } }),
  );
  await expectRefusal(poolId, clientId);
  assert.equal(await server.lastMessage(poolId, 'alice', 'mfa'), undefined);
});
