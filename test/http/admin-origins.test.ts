import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import {
  AdminConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { signedJsonCall, startTestServer, type TestServer } from '../support/server.js';
import { launchBrowser } from '../pages/browser.js';

/**
 * A page of another site, open in Chromium while a developer's Cognate runs on loopback with the
 * well-known `local:local` keys, tries to administer it. Admin calls and the inbox are refused to
 * it; the public operations browser apps use stay open; an origin in `adminOrigins` may do both.
 */

let site: Server;
let siteOrigin: string;
let browser: Browser;
let page: Page;
let closed: TestServer;
let allowing: TestServer;

before(async () => {
  site = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another site</title><p>hello');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  closed = await startTestServer();
  allowing = await startTestServer({ adminOrigins: [siteOrigin] });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(siteOrigin);
});

after(async () => {
  await browser?.close();
  await closed?.stop();
  await allowing?.stop();
  await new Promise((resolve) => site?.close(resolve));
});

/** A CreateUserPool call signed with the server's admin key pair, as the SDK would sign it; the browser sets Host itself. */
async function signedCreatePool(server: TestServer, poolName: string): Promise<{ headers: Record<string, string>; body: string }> {
  const body = JSON.stringify({ PoolName: poolName });
  return signedJsonCall(server.url, 'AWSCognitoIdentityProviderService.CreateUserPool', body, {
    accessKeyId: 'local',
    secretAccessKey: 'local',
  });
}

/** What the page's fetch() got; a CORS refusal is a TypeError, and a readable answer means CORS allowed it. */
type Outcome = { status: number; text: string } | { error: string };

/** fetch() run by the page of the other site. */
function fetchFromPage(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Outcome> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, init);
        return { status: response.status, text: await response.text() };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { url, init },
  );
}

async function poolNames(server: TestServer): Promise<string[]> {
  const listed = await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  return (listed.UserPools ?? []).map((p) => p.Name ?? '');
}

function publicCall(server: TestServer, operation: string, input: unknown): Promise<Outcome> {
  return fetchFromPage(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(input),
  });
}

test('a page of another site cannot make an admin call signed with local:local', async () => {
  const outcome = await fetchFromPage(closed.url, { method: 'POST', ...(await signedCreatePool(closed, 'from-another-site')) });
  assert.ok('error' in outcome, `the browser must refuse the call, got ${JSON.stringify(outcome)}`);
  assert.ok(!(await poolNames(closed)).includes('from-another-site'), 'the pool was not created');
});

test('the actual request is refused too, with no CORS headers, when it comes without a preflight', async () => {
  const { headers, body } = await signedCreatePool(closed, 'no-preflight');
  const response = await fetch(closed.url, { method: 'POST', headers: { ...headers, origin: siteOrigin }, body });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  const error = (await response.json()) as { __type: string; message: string };
  assert.equal(error.__type, 'NotAuthorizedException');
  assert.match(error.message, /COGNATE_ADMIN_ORIGINS/);
  assert.ok(!(await poolNames(closed)).includes('no-preflight'), 'the pool was not created');
  // Without an Origin (SDKs, CLI, curl) the same signed call works.
  const direct = await fetch(closed.url, { method: 'POST', headers, body });
  assert.equal(direct.status, 200);
});

test('a page of another site cannot read the inbox', async () => {
  const inbox = await fetchFromPage(`${closed.url}/_cognate/inbox`, { headers: { authorization: `Basic ${btoa('local:local')}` } });
  assert.ok('error' in inbox, `the browser must refuse the call, got ${JSON.stringify(inbox)}`);
  const direct = await fetch(`${closed.url}/_cognate/inbox`, {
    headers: { authorization: `Basic ${btoa('local:local')}`, origin: siteOrigin },
  });
  assert.equal(direct.status, 403);
  assert.equal(direct.headers.get('access-control-allow-origin'), null);
});

test('the same page can sign up and sign in: the public operations answer every origin', async () => {
  const pool = await closed.admin.send(new CreateUserPoolCommand({ PoolName: 'public-ops' }));
  const poolId = pool.UserPool!.Id!;
  const client = await closed.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  const signUp = await publicCall(closed, 'SignUp', { ClientId: clientId, Username: 'pat', Password: 'Public-Ops-1' });
  assert.ok('status' in signUp && signUp.status === 200, JSON.stringify(signUp));
  await closed.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'pat' }));
  const signIn = await publicCall(closed, 'InitiateAuth', {
    ClientId: clientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: 'pat', PASSWORD: 'Public-Ops-1' },
  });
  assert.ok('status' in signIn && signIn.status === 200, JSON.stringify(signIn));
  assert.ok((JSON.parse(signIn.text) as { AuthenticationResult?: { AccessToken?: string } }).AuthenticationResult?.AccessToken);
});

test('with the origin in adminOrigins, the page may make admin calls and read the inbox', async () => {
  const outcome = await fetchFromPage(allowing.url, { method: 'POST', ...(await signedCreatePool(allowing, 'allowed-site')) });
  assert.ok('status' in outcome && outcome.status === 200, JSON.stringify(outcome));
  assert.ok((await poolNames(allowing)).includes('allowed-site'));
  const inbox = await fetchFromPage(`${allowing.url}/_cognate/inbox`, { headers: { authorization: `Basic ${btoa('local:local')}` } });
  assert.ok('status' in inbox && inbox.status === 200, JSON.stringify(inbox));
  assert.ok(Array.isArray((JSON.parse(inbox.text) as { messages?: unknown }).messages));
});
