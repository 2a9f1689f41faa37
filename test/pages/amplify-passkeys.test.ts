import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { ListWebAuthnCredentialsCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { addVirtualAuthenticator, launchBrowser } from './browser.js';
import { PASSWORD, createClient, createPool, putUser } from '../api/auth-fixtures.js';
import { withWebAuthnConfiguration } from '../../src/domain/webauthn-config.js';
import type { Outcome, PasskeyAppConfig, PasskeyAppWindow } from './fixtures/amplify-passkey-app.js';

/*
 * Passkeys in Chromium: a real Amplify v6 web app on http://localhost registers a passkey with
 * `associateWebAuthnCredential` and signs in with it (`signIn` USER_AUTH, preferredChallenge
 * WEB_AUTHN), the browser's WebAuthn answered by the DevTools virtual authenticator.
 */

let server: TestServer;
let browser: Browser;
let appServer: Server;
let bundleDir: string;
let appUrl: string;
let config: PasskeyAppConfig;

function appPage(): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Passkey app</title></head><body><p>app</p><script>window.cognateApp = ${json};</script><script type="module" src="/app.js"></script></body></html>`;
}

before(async () => {
  server = await startTestServer();
  const poolId = await createPool(server, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } });
  // The relying party is the app's host, as SetUserPoolMfaConfig's WebAuthnConfiguration sets it.
  const pool = (await server.services.store.pools.get(poolId))!;
  await server.services.store.pools.update({ ...pool, config: withWebAuthnConfiguration(pool.config, { RelyingPartyId: 'localhost' }) });
  const client = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  await putUser(server, poolId, { username: 'alice', attributes: { email: 'alice@example.com', email_verified: 'true' } });
  config = { userPoolId: poolId, userPoolClientId: client.clientId, userPoolEndpoint: server.url };

  bundleDir = mkdtempSync(join(tmpdir(), 'cognate-passkey-app-'));
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures', 'amplify-passkey-app.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(bundleDir, 'app.js'),
    logLevel: 'silent',
  });
  const bundle = readFileSync(join(bundleDir, 'app.js'), 'utf8');
  appServer = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (path === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(appPage());
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  const address = appServer.address();
  assert.ok(address && typeof address === 'object');
  // http://localhost is a secure context, where browsers run WebAuthn without TLS.
  appUrl = `http://localhost:${address.port}/`;
  browser = await launchBrowser(['--host-resolver-rules=MAP localhost 127.0.0.1']);
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => appServer?.close(resolve));
  await server?.stop();
  rmSync(bundleDir, { recursive: true, force: true });
});

function valueOf<T>(result: Outcome<T>, what: string): T {
  assert.ok('value' in result, `${what} failed: ${'error' in result ? result.error : ''}`);
  return result.value;
}

test('Amplify registers a passkey with associateWebAuthnCredential and signs in with it through the virtual authenticator', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { cdp, authenticatorId } = await addVirtualAuthenticator(context);
  await page.goto(appUrl);
  await page.waitForFunction(() => 'app' in window, undefined, { timeout: 10_000 });
  const app = (fn: (app: PasskeyAppWindow['app']) => Promise<unknown>): Promise<unknown> =>
    page.evaluate(`(${fn.toString()})(window.app)`) as Promise<unknown>;

  const signedIn = (await app((a) => a.signInWithPassword('alice', 'Correct-Horse-9'))) as Outcome<unknown>;
  assert.deepEqual(valueOf(signedIn, 'signIn with the password'), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });

  const registered = valueOf((await app((a) => a.registerPasskey())) as Outcome<string[]>, 'associateWebAuthnCredential');
  assert.equal(registered.length, 1);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0]!.rpId, 'localhost');
  assert.equal(credentials[0]!.isResidentCredential, true);
  assert.equal(Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url'), registered[0]);

  // The same credential through the API, as the server stored it.
  const token = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: config.userPoolClientId,
      AuthParameters: { USERNAME: 'alice', PASSWORD },
    }),
  );
  const listed = await server.anonymous.send(new ListWebAuthnCredentialsCommand({ AccessToken: token.AuthenticationResult!.AccessToken! }));
  assert.deepEqual(
    listed.Credentials!.map((c) => [c.CredentialId, c.RelyingPartyId]),
    [[registered[0], 'localhost']],
  );

  valueOf((await app((a) => a.signOut())) as Outcome<null>, 'signOut');
  const countBefore = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]!.signCount;
  const withPasskey = (await app((a) => a.signInWithPasskey('alice'))) as Outcome<unknown>;
  assert.deepEqual(valueOf(withPasskey, 'signIn with the passkey'), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal(valueOf((await app((a) => a.signedInAs())) as Outcome<unknown>, 'fetchAuthSession'), 'alice');
  // The authenticator signed once more, and the server took the higher counter.
  const afterSignIn = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(afterSignIn.credentials[0]!.signCount, countBefore + 1);
  const stored = await server.services.store.webAuthnCredentials.get(config.userPoolId, registered[0]!);
  assert.equal(stored?.signCount, countBefore + 1);
  await context.close();
});
