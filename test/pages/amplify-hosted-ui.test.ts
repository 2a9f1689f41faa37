import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { makeTestCertificate, type TestCertificate } from '../support/tls.js';
import { createAppClient, createConfirmedUser } from '../oauth/helpers.js';
import { claims, launchBrowser } from './browser.js';
import type { AppConfig, AppWindow } from './fixtures/amplify-app.js';

/*
 * A real Amplify v6 web app in Chromium, served from an origin of its own (another loopback port),
 * signs in through Cognate's hosted UI with signInWithRedirect, has its code exchanged at
 * /oauth2/token from its own origin (a CORS preflight first, for Amplify's `x-amz-user-agent`),
 * refreshes its session and signs out through /logout. Web security stays on; Chromium only
 * accepts the test certificate and maps `*.localhost` to loopback. Amplify builds `https://` URLs
 * for the hosted UI, so Cognate runs with a certificate.
 */

const PASSWORD = 'Correct-Horse-9';
const PREFIX = 'amplify-web';
/** Every wait has this deadline. */
const DEADLINE = 20_000;

let certificate: TestCertificate;
let server: TestServer;
let browser: Browser;
let appServer: Server;
let bundleDir: string;
let appUrl: string;
let poolId: string;
let clientId: string;

/** The page of each form of the hosted UI's address, with the configuration it gives Amplify. */
const pages = new Map<string, AppConfig>();

function appPage(config: AppConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Amplify app</title></head><body><p>app</p><script>window.cognateApp = ${json};</script><script type="module" src="/app.js"></script></body></html>`;
}

/** Serves the bundle and the app's pages on 127.0.0.1 at a free port; resolves with its origin. */
async function serveApp(bundle: string): Promise<string> {
  appServer = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const config = pages.get(path);
    if (path === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (config) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(appPage(config));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  const address = appServer.address();
  assert.ok(address && typeof address === 'object');
  return `http://127.0.0.1:${address.port}`;
}

before(async () => {
  certificate = makeTestCertificate();
  server = await startTestServer({ tlsCert: certificate.cert, tlsKey: certificate.key });
  bundleDir = mkdtempSync(join(tmpdir(), 'cognate-amplify-app-'));
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures', 'amplify-app.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(bundleDir, 'app.js'),
    logLevel: 'silent',
  });
  appUrl = await serveApp(readFileSync(join(bundleDir, 'app.js'), 'utf8'));

  // The admin client trusts the test certificate; the helpers take it in place of the server's own.
  const admin = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(certificate.cert) }) }),
    maxAttempts: 1,
  });
  const tls: TestServer = { ...server, admin };
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'amplify-web' }))).UserPool!.Id!;
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: PREFIX }));
  await createConfirmedUser(tls, poolId, 'alice', PASSWORD, { email: 'alice@example.com', email_verified: 'true' });

  const port = new URL(server.url).port;
  const forms = { '/by-host/': `${PREFIX}.auth.localhost:${port}`, '/by-path/': `127.0.0.1:${port}/${poolId}` };
  const urls = Object.keys(forms).map((path) => `${appUrl}${path}`);
  clientId = (
    await createAppClient(tls, poolId, {
      ClientName: 'Amplify web app',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      CallbackURLs: urls,
      LogoutURLs: urls,
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })
  ).id;
  admin.destroy();
  for (const [path, domain] of Object.entries(forms)) {
    pages.set(path, { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url, domain, redirect: `${appUrl}${path}` });
  }
  browser = await launchBrowser(['--host-resolver-rules=MAP *.localhost 127.0.0.1']);
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => appServer?.close(resolve));
  await server?.stop();
  rmSync(bundleDir, { recursive: true, force: true });
  rmSync(certificate.dir, { recursive: true, force: true });
});

/** The app's state, read in the page. */
function events(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as AppWindow).authEvents);
}

/** Waits, with the deadline, until the app has loaded and configured Amplify. */
async function appReady(page: Page, what: string): Promise<void> {
  await page
    .waitForFunction(() => 'app' in globalThis, undefined, { timeout: DEADLINE })
    .catch((error: unknown) => assert.fail(`${what}: the app did not start on ${page.url()} (${String(error)})`));
}

/** Waits, with the deadline, until Amplify reports the end of a redirect sign-in, done or failed. */
async function signInSettled(page: Page): Promise<void> {
  const settled = (): boolean => (globalThis as unknown as AppWindow).authEvents.some((e) => e === 'signedIn' || e.includes('failure'));
  await page
    .waitForFunction(settled, undefined, { timeout: DEADLINE })
    .catch(async (error: unknown) => assert.fail(`no sign-in event: ${(await events(page)).join(', ')} (${String(error)})`));
}

/** Waits, with the deadline, until the browser is on a URL that `matches`. */
async function arrive(page: Page, matches: (url: URL) => boolean, what: string): Promise<URL> {
  await page
    .waitForURL(matches, { timeout: DEADLINE, waitUntil: 'load' })
    .catch((error: unknown) => assert.fail(`${what}: the browser stayed on ${page.url()} (${String(error)})`));
  return new URL(page.url());
}

for (const [form, path] of [
  ['by host', '/by-host/'],
  ['by path', '/by-path/'],
] as const) {
  test(`an Amplify web app signs in with the hosted UI (${form}), refreshes its session and signs out`, async () => {
    const config = pages.get(path)!;
    const site = `https://${config.domain}`;
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    // What the browser itself reports (a CORS refusal is only told on the console).
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    try {
      await page.goto(config.redirect);
      await appReady(page, 'first visit');

      // signInWithRedirect sends the browser to the hosted UI's sign-in page.
      await page.evaluate(() => void (globalThis as unknown as AppWindow).app.signIn());
      const login = await arrive(page, (url) => url.href.startsWith(`${site}/login?`), 'signInWithRedirect');
      assert.equal(login.searchParams.get('client_id'), clientId);
      assert.equal(login.searchParams.get('code_challenge_method'), 'S256');

      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await arrive(page, (url) => url.href.startsWith(config.redirect), 'the sign-in page');
      await appReady(page, 'back from the hosted UI');

      // Amplify exchanges the code at /oauth2/token from the app's origin, then reports the sign-in.
      await signInSettled(page);
      assert.deepEqual(await events(page), ['signInWithRedirect', 'signedIn'], consoleErrors.join('\n'));

      const first = await page.evaluate(() => (globalThis as unknown as AppWindow).app.session(false));
      const access = claims(first.accessToken);
      assert.equal(access['username'], 'alice');
      assert.equal(access['client_id'], clientId);
      assert.equal(access['iss'], `${server.url}/${poolId}`);
      assert.equal(claims(first.idToken)['email'], 'alice@example.com');

      // An OIDC app reads userInfo and redeems the refresh token at /oauth2/token from its origin too.
      const userInfo = await page.evaluate((token) => (globalThis as unknown as AppWindow).app.userInfo(token), first.accessToken!);
      assert.equal(userInfo.status, 200);
      assert.equal((userInfo.body as Record<string, unknown>)['email'], 'alice@example.com');
      const refreshToken = await page.evaluate((id) => {
        const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
        return storage.getItem(
          `CognitoIdentityServiceProvider.${id}.${storage.getItem(`CognitoIdentityServiceProvider.${id}.LastAuthUser`)}.refreshToken`,
        );
      }, clientId);
      assert.ok(refreshToken, 'Amplify keeps the refresh token');
      const redeemed = await page.evaluate((token) => (globalThis as unknown as AppWindow).app.refreshAtTokenEndpoint(token), refreshToken);
      assert.equal(redeemed.status, 200);
      assert.equal(claims((redeemed.body as Record<string, unknown>)['access_token'])['username'], 'alice');

      // fetchAuthSession({ forceRefresh: true }) gets new tokens for the same user.
      const refreshed = await page.evaluate(() => (globalThis as unknown as AppWindow).app.session(true));
      assert.ok(refreshed.accessToken);
      assert.notEqual(refreshed.accessToken, first.accessToken);
      assert.equal(claims(refreshed.accessToken)['username'], 'alice');
      assert.equal(claims(refreshed.accessToken)['client_id'], clientId);

      // signOut goes through the hosted UI's /logout and back to the app (the page's next load), signed out.
      const logout = page.waitForRequest((request) => request.url().startsWith(`${site}/logout?`), { timeout: DEADLINE });
      const reloaded = page.waitForEvent('load', { timeout: DEADLINE });
      await page.evaluate(() => void (globalThis as unknown as AppWindow).app.signOut());
      const logoutUrl = new URL(
        (await logout.catch((error: unknown) => assert.fail(`signOut did not go to /logout (${String(error)})`))).url(),
      );
      assert.equal(logoutUrl.searchParams.get('client_id'), clientId);
      assert.equal(logoutUrl.searchParams.get('logout_uri'), config.redirect);
      await reloaded.catch((error: unknown) => assert.fail(`signOut: the app did not load again, on ${page.url()} (${String(error)})`));
      assert.equal(page.url(), config.redirect);
      await appReady(page, 'back from /logout');
      assert.deepEqual(await page.evaluate(() => (globalThis as unknown as AppWindow).app.session(false)), {
        accessToken: undefined,
        idToken: undefined,
      });

      // The hosted UI's session ended too: signing in again asks for the password.
      await page.evaluate(() => void (globalThis as unknown as AppWindow).app.signIn());
      const again = await arrive(page, (url) => url.href.startsWith(`${site}/login?`) || url.searchParams.has('code'), 'signing in again');
      assert.equal(again.pathname, new URL(`${site}/login`).pathname);
    } finally {
      await context.close();
    }
  });
}
