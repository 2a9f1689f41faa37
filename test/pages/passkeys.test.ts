import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request as playwrightRequest, type APIRequestContext, type APIResponse, type Browser } from 'playwright-core';
import {
  AdminInitiateAuthCommand,
  CreateUserPoolCommand,
  ListWebAuthnCredentialsCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { createConfirmedUser } from '../oauth/helpers.js';
import { SoftwareAuthenticator } from '../support/webauthn-authenticator.js';
import {
  addVirtualAuthenticator,
  authorizeUrl,
  captureCallback,
  claims,
  createWebClient,
  exchangeCode,
  launchBrowser,
  screenshot,
  CALLBACK,
} from './browser.js';

/*
 * Passkeys on managed login, in Chromium with the DevTools virtual authenticator: a user adds a
 * passkey on the page managed login offers after a password sign-in, then signs in with it in
 * another browser context holding the same credential, and the app exchanges the code. The server
 * side is also driven with a software authenticator, to show which origins it refuses.
 *
 * WebAuthn runs only in a secure context; http://localhost is one, so the server listens on
 * `localhost` (its pages' origin is then http://localhost:<port>) and the pool's relying party is
 * `localhost`, as SetUserPoolMfaConfig's WebAuthnConfiguration sets it.
 */

const PASSWORD = 'Correct-horse-1';
let server: TestServer;
let browser: Browser;
let poolId: string;
let web: { id: string; secret: string | undefined };
let noUserAuth: { id: string; secret: string | undefined };
let plainPoolId: string;
let plainWeb: { id: string; secret: string | undefined };

before(async () => {
  server = await startTestServer({ host: 'localhost' });
  assert.match(server.url, /^http:\/\/localhost:\d+$/);
  browser = await launchBrowser();
  poolId = (
    await server.admin.send(
      new CreateUserPoolCommand({
        PoolName: 'passkeys',
        AutoVerifiedAttributes: ['email'],
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
      }),
    )
  ).UserPool!.Id!;
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
    }),
  );
  web = await createWebClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  noUserAuth = await createWebClient(server, poolId, {
    ClientName: 'No choice',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  for (const name of ['alice', 'bob', 'carol', 'dave']) {
    await createConfirmedUser(server, poolId, name, PASSWORD, { email: `${name}@example.com`, email_verified: 'true' });
  }
  plainPoolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'no passkeys' }))).UserPool!.Id!;
  plainWeb = await createWebClient(server, plainPoolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  await createConfirmedUser(server, plainPoolId, 'erin', PASSWORD, { email: 'erin@example.com' });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

test('a user adds a passkey after a password sign-in, then signs in with it in another browser and the code is exchanged', async (t) => {
  // Registration: the password sign-in leads to the passkey offer, whose passkey goes to the authenticator.
  const first = await browser.newContext({ viewport: { width: 800, height: 720 } });
  const { cdp, authenticatorId } = await addVirtualAuthenticator(first);
  const page = first.pages()[0]!;
  const callback = captureCallback(page);
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'st-add' }));
  assert.equal(await page.getByRole('button', { name: 'Sign in with passkey' }).count(), 1);
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-with-passkey')}`);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/${poolId}/passkeys/add`, { timeout: 10_000 });
  assert.equal(await page.title(), 'Add a passkey');
  t.diagnostic(`screenshot: ${await screenshot(page, 'passkey-add')}`);
  const [added] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Add a passkey' }).click()]);
  assert.equal(`${added.origin}${added.pathname}`, CALLBACK);
  assert.equal(added.searchParams.get('state'), 'st-add');
  const firstTokens = await exchangeCode(server, poolId, { client_id: web.id, code: added.searchParams.get('code') ?? '' });
  assert.equal(firstTokens.status, 200);
  assert.equal(claims(firstTokens.body['id_token'])['cognito:username'], 'alice');

  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  const credential = credentials[0]!;
  assert.equal(credential.rpId, 'localhost');
  assert.equal(credential.isResidentCredential, true);
  const signedIn = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: web.id,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
    }),
  );
  const listed = await server.anonymous.send(
    new ListWebAuthnCredentialsCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }),
  );
  assert.deepEqual(
    listed.Credentials!.map((c) => [c.CredentialId, c.RelyingPartyId]),
    [[Buffer.from(credential.credentialId, 'base64').toString('base64url'), 'localhost']],
  );
  await first.close();

  // Sign-in: a fresh browser (no managed-login session) whose authenticator holds the same passkey.
  const second = await browser.newContext({ viewport: { width: 800, height: 720 } });
  const other = await addVirtualAuthenticator(second);
  await other.cdp.send('WebAuthn.addCredential', { authenticatorId: other.authenticatorId, credential });
  const page2 = second.pages()[0]!;
  const callback2 = captureCallback(page2);
  const { verifier, challenge } = pkce();
  await page2.goto(
    authorizeUrl(server, poolId, {
      client_id: web.id,
      scope: 'openid email',
      state: 'st-passkey',
      nonce: 'n-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
  );
  assert.equal(new URL(page2.url()).pathname, `/${poolId}/login`);
  await page2.getByLabel('Username').fill('alice');
  const [redirected] = await Promise.all([callback2.next(), page2.getByRole('button', { name: 'Sign in with passkey' }).click()]);
  assert.equal(`${redirected.origin}${redirected.pathname}`, CALLBACK);
  assert.equal(redirected.searchParams.get('state'), 'st-passkey');
  const tokens = await exchangeCode(server, poolId, {
    client_id: web.id,
    code: redirected.searchParams.get('code') ?? '',
    code_verifier: verifier,
  });
  assert.equal(tokens.status, 200);
  const id = claims(tokens.body['id_token']);
  assert.equal(id['cognito:username'], 'alice');
  assert.equal(id['nonce'], 'n-1');
  assert.equal(id['aud'], web.id);
  // The authenticator signed once more, and the server took its counter.
  const after = (await other.cdp.send('WebAuthn.getCredentials', { authenticatorId: other.authenticatorId })).credentials[0]!;
  assert.equal(after.signCount, credential.signCount + 1);
  const stored = await server.services.store.webAuthnCredentials.get(
    poolId,
    Buffer.from(credential.credentialId, 'base64').toString('base64url'),
  );
  assert.equal(stored?.signCount, after.signCount);

  // Signed in with a passkey, alice is not offered another one: the session serves the next app at once.
  const [again] = await Promise.all([
    callback2.next(),
    page2.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'st-again' })).catch(() => undefined),
  ]);
  assert.equal(again.searchParams.get('state'), 'st-again');
  await second.close();
});

test("a passkey sign-in of a user without a passkey, or of an unknown name, gets Cognito's error on the sign-in page, escaped", async (t) => {
  const context = await browser.newContext({ viewport: { width: 800, height: 720 } });
  await addVirtualAuthenticator(context);
  const page = context.pages()[0]!;
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id }));
  await page.getByLabel('Username').fill('bob');
  await page.getByRole('button', { name: 'Sign in with passkey' }).click();
  await page.waitForSelector('.errorMessage-customizable');
  assert.equal(new URL(page.url()).pathname, `/${poolId}/passkeys/sign-in`);
  assert.equal(await page.title(), 'Sign in');
  assert.equal(await page.locator('.errorMessage-customizable').innerText(), 'WEB_AUTHN is not an available challenge for this user.');
  assert.equal(await page.getByLabel('Username').inputValue(), 'bob');
  t.diagnostic(`screenshot: ${await screenshot(page, 'passkey-sign-in-no-passkey')}`);

  const xss = `"><img src=x onerror=alert(1)>`;
  await page.getByLabel('Username').fill(xss);
  await page.getByRole('button', { name: 'Sign in with passkey' }).click();
  await page.waitForSelector('#signInFormUsername_error');
  assert.equal(await page.locator('#signInFormUsername_error').innerText(), 'We cannot find an account with this username.');
  assert.equal(await page.getByLabel('Username').inputValue(), xss);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  assert.equal(dialogs, 0);
  await context.close();
});

test('without WEB_AUTHN in the pool, or ALLOW_USER_AUTH on the client, there is no passkey button and a password sign-in goes straight to the app', async () => {
  for (const [pool, client, user] of [
    [plainPoolId, plainWeb.id, 'erin'],
    [poolId, noUserAuth.id, 'dave'],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const callback = captureCallback(page);
    await page.goto(authorizeUrl(server, pool, { client_id: client, state: `st-${user}` }));
    assert.equal(await page.getByRole('button', { name: 'Sign in', exact: true }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Sign in with passkey' }).count(), 0, `${user}: no passkey button`);
    await page.getByLabel('Username').fill(user);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    assert.equal(redirected.searchParams.get('state'), `st-${user}`, `${user}: back at the app without a passkey offer`);
    await context.close();
  }
});

/** What an escaped attribute or field value of a page says. */
function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(body: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(body)?.[1];
  assert.ok(found !== undefined, `the page has no ${what}`);
  return unescapeHtml(found);
}

/** A browser-less client of the pages, holding their cookies, that posts forms as the pages would. */
class FormClient {
  private csrf = '';
  constructor(private readonly http: APIRequestContext) {}

  async open(url: string): Promise<string> {
    const response = await this.http.get(url, { maxRedirects: 0 });
    const body = await response.text();
    this.csrf = attribute(body, /name="_csrf" value="([^"]*)"/, 'CSRF field');
    return body;
  }

  post(url: string, fields: Record<string, string>): Promise<APIResponse> {
    return this.http.post(url, { form: { _csrf: this.csrf, ...fields }, maxRedirects: 0 });
  }
}

function pagePath(pool: string, path: string, client: string): string {
  return `${server.url}/${pool}${path}?${new URLSearchParams({ client_id: client, response_type: 'code', redirect_uri: CALLBACK }).toString()}`;
}

test("the pages refuse a passkey answered on another origin of the relying party, and take one from the page's own", async () => {
  const http = await playwrightRequest.newContext();
  const forms = new FormClient(http);
  const authenticator = new SoftwareAuthenticator(server.url);
  const elsewhere = 'http://localhost:1';

  // Registration on the passkey offer after a password sign-in.
  await forms.open(pagePath(poolId, '/login', web.id));
  const signedIn = await forms.post(pagePath(poolId, '/login', web.id), { username: 'carol', password: PASSWORD });
  assert.equal(signedIn.status(), 302);
  const offer = signedIn.headers()['location'] ?? '';
  assert.equal(new URL(offer).pathname, `/${poolId}/passkeys/add`);
  let body = await forms.open(offer);
  const creation = JSON.parse(attribute(body, /data-options="([^"]*)"/, 'creation options')) as Parameters<
    SoftwareAuthenticator['register']
  >[0];
  const refused = await forms.post(offer, { credential: JSON.stringify(authenticator.register(creation, { origin: elsewhere })) });
  assert.equal(refused.status(), 400);
  assert.equal(
    attribute(await refused.text(), /id="errorMessage">([^<]*)</, 'error'),
    `The origin ${elsewhere} is not allowed for the relying party.`,
  );
  body = await forms.open(offer);
  const fresh = JSON.parse(attribute(body, /data-options="([^"]*)"/, 'creation options')) as Parameters<
    SoftwareAuthenticator['register']
  >[0];
  const passkey = authenticator.register(fresh);
  const registered = await forms.post(offer, { credential: JSON.stringify(passkey) });
  assert.equal(registered.status(), 302);
  assert.equal(new URL(registered.headers()['location'] ?? '').origin, new URL(CALLBACK).origin);
  assert.equal((await server.services.store.webAuthnCredentials.get(poolId, passkey.id))?.usernameKey, 'carol');

  // Sign-in: the key the server now knows, answered first from elsewhere, then from the page.
  const signInUrl = pagePath(poolId, '/passkeys/sign-in', web.id);
  const ceremony = async (): Promise<{ session: string; options: Parameters<SoftwareAuthenticator['assert']>[0] }> => {
    const started = await forms.post(signInUrl, { username: 'carol' });
    assert.equal(started.status(), 200);
    const html = await started.text();
    return {
      session: attribute(html, /name="session" value="([^"]*)"/, 'session'),
      options: JSON.parse(attribute(html, /data-options="([^"]*)"/, 'request options')) as Parameters<SoftwareAuthenticator['assert']>[0],
    };
  };
  const firstTry = await ceremony();
  const wrongOrigin = await forms.post(signInUrl, {
    username: 'carol',
    session: firstTry.session,
    credential: JSON.stringify(authenticator.assert(firstTry.options, passkey.id, { origin: elsewhere })),
  });
  assert.equal(wrongOrigin.status(), 400);
  assert.equal(
    attribute(await wrongOrigin.text(), /id="errorMessage">([^<]*)</, 'error'),
    `The origin ${elsewhere} is not allowed for the relying party.`,
  );

  const secondTry = await ceremony();
  const accepted = await forms.post(signInUrl, {
    username: 'carol',
    session: secondTry.session,
    credential: JSON.stringify(authenticator.assert(secondTry.options, passkey.id)),
  });
  assert.equal(accepted.status(), 302);
  const code = new URL(accepted.headers()['location'] ?? '').searchParams.get('code') ?? '';
  const tokens = await exchangeCode(server, poolId, { client_id: web.id, code });
  assert.equal(tokens.status, 200);
  assert.equal(claims(tokens.body['access_token'])['username'], 'carol');

  // A form without its CSRF token does nothing.
  const forged = await http.post(signInUrl, { form: { username: 'carol' }, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  // A pool without passkeys refuses the passkey form.
  await forms.open(pagePath(plainPoolId, '/login', plainWeb.id));
  const notOffered = await forms.post(pagePath(plainPoolId, '/passkeys/sign-in', plainWeb.id), { username: 'erin' });
  assert.equal(notOffered.status(), 400);
  assert.equal(
    attribute(await notOffered.text(), /id="errorMessage">([^<]*)</, 'error'),
    'Login option is not available. Please try another one',
  );
  await http.dispose();
});

test('"Not now" on the passkey offer goes on to the app; without a managed-login session the page sends the browser to sign in', async () => {
  const http = await playwrightRequest.newContext();
  const forms = new FormClient(http);
  const addUrl = pagePath(poolId, '/passkeys/add', web.id);
  const noSession = await http.get(addUrl, { maxRedirects: 0 });
  assert.equal(noSession.status(), 302);
  assert.equal(new URL(noSession.headers()['location'] ?? '').pathname, `/${poolId}/login`);

  await forms.open(pagePath(poolId, '/login', web.id));
  const signedIn = await forms.post(pagePath(poolId, '/login', web.id), { username: 'bob', password: PASSWORD });
  assert.equal(signedIn.status(), 302);
  const offer = signedIn.headers()['location'] ?? '';
  assert.equal(new URL(offer).pathname, `/${poolId}/passkeys/add`);
  await forms.open(offer);
  // The form without its CSRF token does nothing; with it, "Not now" completes the authorization.
  assert.equal((await http.post(offer, { form: { skip: 'true' }, maxRedirects: 0 })).status(), 403);
  const skipped = await forms.post(offer, { skip: 'true' });
  assert.equal(skipped.status(), 302);
  const code = new URL(skipped.headers()['location'] ?? '').searchParams.get('code') ?? '';
  const tokens = await exchangeCode(server, poolId, { client_id: web.id, code });
  assert.equal(tokens.status, 200);
  assert.equal(claims(tokens.body['access_token'])['username'], 'bob');
  assert.equal(await server.services.store.webAuthnCredentials.countForUser(poolId, 'bob'), 0);
  // A form that comes back without a passkey is asked again, with the reason.
  await forms.open(offer);
  const empty = await forms.post(offer, { credential: '' });
  assert.equal(empty.status(), 400);
  assert.equal(
    attribute(await empty.text(), /id="errorMessage">([^<]*)</, 'error'),
    'Your browser did not give a passkey. Try again, or choose Not now.',
  );
  await http.dispose();
});
