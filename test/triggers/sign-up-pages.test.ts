import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { AdminGetUserCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { functionArn, moduleFunctions } from '../support/functions.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { authorizeUrl, captureCallback, claims, createWebClient, exchangeCode, launchBrowser, screenshot } from '../pages/browser.js';
import { eventRecorder } from './recording.js';

/*
 * The managed login sign-up page in Chromium fires the same pre sign-up and post confirmation
 * triggers as SignUp: a refusal is shown on the form, an auto-confirmed user lands signed in.
 */

const events = eventRecorder();
const functions = moduleFunctions({
  'pre-sign-up': `${events.source('pre-sign-up')}export const handler = async (event) => {
  record(event);
  const email = event.request.userAttributes.email;
  if (email.endsWith('@blocked.example')) throw new Error('Registration from this domain is not allowed.');
  if (email.endsWith('@trusted.example')) {
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  }
  return event;
};`,
  'post-confirmation': `${events.source('post-confirmation')}export const handler = async (event) => {
  record(event);
  return event;
};`,
});

let server: TestServer;
let browser: Browser;
let poolId: string;
let web: { id: string; secret: string | undefined };

before(async () => {
  server = await startTestServer({ functions }, { clock: FrozenClock.atNow() });
  browser = await launchBrowser();
  const created = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: 'trigger-pages',
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
      LambdaConfig: { PreSignUp: functionArn('pre-sign-up'), PostConfirmation: functionArn('post-confirmation') },
    }),
  );
  poolId = created.UserPool!.Id!;
  web = await createWebClient(server, poolId, { GenerateSecret: true });
});
after(async () => {
  await browser.close();
  await server.stop();
});

test('the sign-up page shows a pre sign-up refusal, and signs an auto-confirmed user straight in', async (t) => {
  const ctx = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const page = await ctx.newPage();
  const callback = captureCallback(page);
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'trigger', scope: 'openid email' }));
  await page.getByRole('link', { name: 'Sign up' }).click();

  await page.getByLabel('Username', { exact: true }).fill('bo');
  await page.getByLabel('Email', { exact: true }).fill('bo@blocked.example');
  await page.getByLabel('Password', { exact: true }).fill('Sturdy-pass-1');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForSelector('.errorMessage-customizable');
  assert.equal(
    await page.locator('.errorMessage-customizable').innerText(),
    'PreSignUp failed with error Registration from this domain is not allowed..',
  );
  t.diagnostic(`screenshot: ${await screenshot(page, 'signup-pre-sign-up-refused')}`);
  assert.equal(
    (await captureError(() => server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bo' })))).name,
    'UserNotFoundException',
  );

  await page.getByLabel('Username', { exact: true }).fill('ada');
  await page.getByLabel('Email', { exact: true }).fill('ada@trusted.example');
  await page.getByLabel('Password', { exact: true }).fill('Sturdy-pass-1');
  const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Sign up' }).click()]);
  assert.equal(redirected.searchParams.get('state'), 'trigger');
  const tokens = await exchangeCode(server, poolId, { client_id: web.id, code: redirected.searchParams.get('code') ?? '' }, web.secret);
  assert.equal(tokens.status, 200);
  assert.equal(claims(tokens.body['id_token'])['email_verified'], true);

  const preSignUp = events.last('pre-sign-up');
  assert.equal(preSignUp['triggerSource'], 'PreSignUp_SignUp');
  assert.deepEqual(preSignUp['callerContext'], { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: web.id });
  const confirmed = events.last('post-confirmation');
  assert.equal(confirmed['triggerSource'], 'PostConfirmation_ConfirmSignUp');
  assert.equal(confirmed['userName'], 'ada');
  assert.equal(await server.lastMessage(poolId, 'ada'), undefined);
  await ctx.close();
});
