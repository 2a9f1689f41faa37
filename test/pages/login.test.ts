import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { createConfirmedUser } from '../oauth/helpers.js';
import {
  authorizeUrl,
  captureCallback,
  claims,
  createWebClient,
  exchangeCode,
  launchBrowser,
  png,
  screenshot,
  CALLBACK,
  expectFocus,
} from './browser.js';

let server: TestServer;
let browser: Browser;
let poolId: string;
let web: { id: string; secret: string | undefined };
let other: { id: string; secret: string | undefined };
const PASSWORD = 'Correct-horse-1';

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'pages', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
  web = await createWebClient(server, poolId);
  other = await createWebClient(server, poolId, { ClientName: 'Other app', GenerateSecret: true });
  await createConfirmedUser(server, poolId, 'alice', PASSWORD, { email: 'alice@example.com', email_verified: 'true' });
});
after(async () => {
  await browser.close();
  await server.stop();
});

async function context(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 800, height: 720 } });
}

test('authorize → sign-in page → redirect with a code that the token endpoint exchanges; the session then serves another client', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const callback = captureCallback(page);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  await page.goto(
    authorizeUrl(server, poolId, {
      client_id: web.id,
      scope: 'openid email',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
  );
  assert.equal(new URL(page.url()).pathname, `/${poolId}/login`);
  assert.equal(await page.title(), 'Sign in');
  t.diagnostic(`screenshot: ${await screenshot(page, 'login')}`);

  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(`${redirected.origin}${redirected.pathname}`, CALLBACK);
  assert.equal(redirected.searchParams.get('state'), 'st-1');
  const code = redirected.searchParams.get('code') ?? '';
  assert.match(code, /^[0-9a-f-]{36}$/);

  const tokens = await exchangeCode(server, poolId, { client_id: web.id, code, code_verifier: verifier });
  assert.equal(tokens.status, 200);
  const id = claims(tokens.body['id_token']);
  assert.equal(id['cognito:username'], 'alice');
  assert.equal(id['email'], 'alice@example.com');
  assert.equal(id['nonce'], 'n-1');
  assert.equal(id['aud'], web.id);

  // The managed-login session signs the same browser in to another client of the pool at once.
  const [second] = await Promise.all([
    callback.next(),
    page.goto(authorizeUrl(server, poolId, { client_id: other.id, state: 'st-2' })).catch(() => undefined),
  ]);
  assert.equal(second.searchParams.get('state'), 'st-2');
  const again = await exchangeCode(server, poolId, { client_id: other.id, code: second.searchParams.get('code') ?? '' }, other.secret);
  assert.equal(again.status, 200);
  assert.equal(claims(again.body['access_token'])['username'], 'alice');
  assert.equal(claims(again.body['access_token'])['auth_time'], id['auth_time']);
  await ctx.close();
});

test("a wrong password shows Cognito's message, and the username typed is kept, escaped", async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  const xss = `"><img src=x onerror=alert(1)><script>alert(2)</script>`;
  const response = await page.goto(authorizeUrl(server, poolId, { client_id: web.id, state: xss }));
  assert.ok(response);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.errorMessage-customizable');
  assert.equal(await page.locator('.errorMessage-customizable').innerText(), 'Incorrect username or password.');
  assert.equal(await page.getByLabel('Username').inputValue(), 'alice');
  await expectFocus(page, 'signInFormPassword');
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-wrong-password')}`);

  // A hostile username and state come back as text, never as markup.
  await page.getByLabel('Username').fill(xss);
  await page.getByLabel('Password', { exact: true }).fill('x');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.errorMessage-customizable');
  assert.equal(await page.getByLabel('Username').inputValue(), xss);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  // Only the page's own script (the show-password toggle), never one from the input.
  assert.equal(await page.locator('script').count(), 1);
  assert.ok(!((await page.locator('script').textContent()) ?? '').includes('alert'));
  const formAction = (await page.locator('form').first().getAttribute('action')) ?? '';
  assert.equal(new URL(formAction).searchParams.get('state'), xss);
  assert.equal(dialogs, 0);
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-xss-escaped')}`);
  await ctx.close();
});

test('pages are sent with strict security headers', async () => {
  const response = await fetch(
    `${server.url}/${poolId}/login?${new URLSearchParams({ client_id: web.id, redirect_uri: CALLBACK, response_type: 'code' }).toString()}`,
  );
  assert.equal(response.status, 200);
  assert.match(
    response.headers.get('content-security-policy') ?? '',
    /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src 'self' data: https:; form-action 'self' https:\/\/app\.example\.com; frame-ancestors 'none'; base-uri 'none'$/,
  );
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.match(response.headers.get('set-cookie') ?? '', new RegExp(`^cognate-csrf=[\\w-]{43}; Path=/${poolId}; HttpOnly; SameSite=Lax$`));
  const body = await response.text();
  for (const name of [
    'background-customizable',
    'banner-customizable',
    'label-customizable',
    'inputField-customizable',
    'submitButton-customizable',
  ]) {
    assert.ok(body.includes(`class="${name}"`) || body.includes(` ${name}"`) || body.includes(`"${name} `), name);
  }
  // The one script is the show-password toggle, allowed by its hash and by nothing else.
  const scripts = [...body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  assert.equal(scripts.length, 1);
  const scriptHash = createHash('sha256')
    .update(scripts[0] ?? '', 'utf8')
    .digest('base64');
  assert.ok((response.headers.get('content-security-policy') ?? '').includes(`script-src 'sha256-${scriptHash}'`));
  assert.ok(!/\son[a-z]+=/i.test(body), 'no inline event handler');
});

test('a form posted without its CSRF token is refused with a 403 page, and nothing happens', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id }));
  await ctx.clearCookies();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  assert.equal(response.status(), 403);
  await page.waitForSelector('.errorMessage-customizable');
  assert.equal(await page.locator('h1').innerText(), 'This form has expired');
  t.diagnostic(`screenshot: ${await screenshot(page, 'csrf-refused')}`);
  assert.deepEqual(
    (await ctx.cookies()).map((c) => c.name),
    ['cognate-csrf'],
  );
  // A forged post with a token but no matching cookie is refused the same way.
  const forged = await fetch(
    `${server.url}/${poolId}/login?${new URLSearchParams({ client_id: web.id, redirect_uri: CALLBACK, response_type: 'code' }).toString()}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cognate-csrf=${'a'.repeat(43)}` },
      body: new URLSearchParams({ _csrf: 'b'.repeat(43), username: 'alice', password: PASSWORD }).toString(),
    },
  );
  assert.equal(forged.status, 403);
  assert.equal(forged.headers.get('location'), null);
  await ctx.close();
});

test('signing in with the keyboard alone: focus starts on the username, Tab moves on, Enter submits', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const callback = captureCallback(page);
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'kb' }));
  await expectFocus(page, 'signInFormUsername');
  await page.keyboard.type('alice');
  await page.keyboard.press('Tab');
  await expectFocus(page, 'signInFormPassword');
  await page.keyboard.type(PASSWORD);
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-keyboard-focus')}`);
  const [redirected] = await Promise.all([callback.next(), page.keyboard.press('Enter')]);
  assert.equal(redirected.searchParams.get('state'), 'kb');
  assert.ok(redirected.searchParams.get('code'));
  await ctx.close();
});

test("the client's branding (CSS on Cognito's class names, and its logo) styles the page under the CSP", async (t) => {
  const branded = await createWebClient(server, poolId, { ClientName: 'Branded app' });
  const logo = png(120, 40, [255, 255, 255]);
  const now = server.services.clock.now();
  await server.services.store.uiCustomizations.put(
    {
      poolId,
      clientId: branded.id,
      css: '.banner-customizable{background-color:#0b7268}.submitButton-customizable{background-color:#b00020}',
      logoType: 'image/png',
      logoDigest: createHash('sha256').update(logo).digest('hex').slice(0, 16),
      cssVersion: '20250101000000',
      createdAt: now,
      updatedAt: now,
    },
    logo,
  );
  const ctx = await context();
  const page = await ctx.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(authorizeUrl(server, poolId, { client_id: branded.id }));
  const button = page.getByRole('button', { name: 'Sign in' });
  assert.equal(await button.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(176, 0, 32)');
  const image = page.locator('img.logo-customizable');
  assert.equal(await image.getAttribute('alt'), 'Branded app');
  // Playwright's own deadline (30 s) bounds the wait, and a logo that fails to load ends it too.
  await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.logo-customizable')?.complete === true);
  assert.equal(await image.evaluate((el: HTMLImageElement) => el.naturalWidth), 120);
  assert.deepEqual(violations, []);
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-branded')}`);
  await ctx.close();
});
