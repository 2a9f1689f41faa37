import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  CreateManagedLoginBrandingCommand,
  CreateUserPoolCommand,
  UpdateManagedLoginBrandingCommand,
  type AssetType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { authorizeUrl, createWebClient, launchBrowser, png, screenshot } from './browser.js';

let server: TestServer;
let browser: Browser;
let poolId: string;

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'styled pages' }))).UserPool!.Id!;
});
after(async () => {
  await browser.close();
  await server.stop();
});

/** The style of the tests: a teal page, a crimson primary button, a navy one in dark mode. */
const SETTINGS = {
  categories: { global: { colorSchemeMode: 'DYNAMIC' } },
  componentClasses: { buttons: { borderRadius: 20 } },
  components: {
    pageBackground: { lightMode: { color: '0b7268ff' }, darkMode: { color: '101820ff' } },
    primaryButton: {
      lightMode: { defaults: { backgroundColor: 'b00020ff', textColor: 'ffffffff' } },
      darkMode: { defaults: { backgroundColor: '1d3557ff', textColor: 'ffffffff' } },
    },
  },
};

/** Opens the client's sign-in page, collecting the CSP violations the console reports. */
async function signInPage(clientId: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; violations: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 800, height: 720 }, colorScheme });
  const page = await ctx.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(authorizeUrl(server, poolId, { client_id: clientId }));
  return { page, violations };
}

async function style(page: Page, selector: string, property: 'backgroundColor' | 'borderRadius'): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate((el, name) => getComputedStyle(el)[name], property);
}

test('a styled client’s sign-in page shows its logo and colours under the CSP; another client’s does not', async (t) => {
  const branded = await createWebClient(server, poolId, { ClientName: 'Styled app' });
  const plain = await createWebClient(server, poolId, { ClientName: 'Plain app' });
  const logo = png(150, 50, [255, 255, 255]);
  const assets: AssetType[] = [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: logo }];
  await server.admin.send(
    new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: branded.id, Settings: SETTINGS, Assets: assets }),
  );

  const { page, violations } = await signInPage(branded.id);
  assert.equal(await style(page, '.submitButton-customizable', 'backgroundColor'), 'rgb(176, 0, 32)');
  assert.equal(await style(page, '.submitButton-customizable', 'borderRadius'), '20px');
  assert.equal(await style(page, 'body', 'backgroundColor'), 'rgb(11, 114, 104)');
  const image = page.locator('img.logo-customizable');
  assert.equal(await image.getAttribute('alt'), 'Styled app');
  // Playwright's own deadline (30 s) bounds the wait, and a logo that fails to load ends it too.
  await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.logo-customizable')?.complete === true);
  assert.equal(await image.evaluate((el: HTMLImageElement) => el.naturalWidth), 150);
  // The asset is served by Cognate, typed as its Extension says.
  const served = await fetch(new URL((await image.getAttribute('src'))!, page.url()));
  assert.equal(served.headers.get('content-type'), 'image/png');
  assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), logo);
  assert.deepEqual(violations, []);
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-managed-branding')}`);
  await page.context().close();

  const other = await signInPage(plain.id);
  assert.equal(await other.page.locator('img.logo-customizable').count(), 0, 'no logo on an unstyled client’s page');
  assert.equal(await style(other.page, '.submitButton-customizable', 'backgroundColor'), 'rgb(9, 114, 211)', 'Cognate’s own button colour');
  assert.equal(await other.page.locator('.banner-customizable').textContent(), 'Plain app');
  await other.page.context().close();
});

test('a DYNAMIC style follows the browser into dark mode, with its dark-mode logo; Cognito-provided values keep the default look', async (t) => {
  const branded = await createWebClient(server, poolId, { ClientName: 'Dynamic app' });
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30"><rect width="90" height="30" fill="#fff"/></svg>',
  );
  const id = (
    await server.admin.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: branded.id,
        Settings: SETTINGS,
        Assets: [{ Category: 'FORM_LOGO', ColorMode: 'DYNAMIC', Extension: 'SVG', Bytes: svg }],
      }),
    )
  ).ManagedLoginBranding!.ManagedLoginBrandingId!;

  const { page, violations } = await signInPage(branded.id, 'dark');
  assert.equal(await style(page, '.submitButton-customizable', 'backgroundColor'), 'rgb(29, 53, 87)');
  assert.equal(await style(page, 'body', 'backgroundColor'), 'rgb(16, 24, 32)');
  await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.logo-customizable')?.complete === true);
  assert.equal(await page.locator('img.logo-customizable').evaluate((el: HTMLImageElement) => el.naturalWidth), 90);
  const served = await fetch(new URL((await page.locator('img.logo-customizable').getAttribute('src'))!, page.url()));
  assert.equal(served.headers.get('content-type'), 'image/svg+xml');
  assert.match(served.headers.get('content-security-policy') ?? '', /sandbox/);
  await served.arrayBuffer();
  assert.deepEqual(violations, []);
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-managed-branding-dark')}`);
  await page.context().close();

  await server.admin.send(
    new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id, UseCognitoProvidedValues: true }),
  );
  const reset = await signInPage(branded.id, 'dark');
  assert.equal(await style(reset.page, '.submitButton-customizable', 'backgroundColor'), 'rgb(9, 114, 211)');
  assert.equal(await reset.page.locator('img.logo-customizable').count(), 0);
  await reset.page.context().close();
});

test('light and dark logos swap with the browser’s scheme; the page background image and the favicon come from the style', async (t) => {
  const branded = await createWebClient(server, poolId, { ClientName: 'Two-logo app' });
  const icon = Buffer.concat([Buffer.from([0, 0, 1, 0, 1, 0]), png(16, 16, [0, 0, 0])]);
  await server.admin.send(
    new CreateManagedLoginBrandingCommand({
      UserPoolId: poolId,
      ClientId: branded.id,
      Settings: { categories: { global: { colorSchemeMode: 'DYNAMIC' } } },
      Assets: [
        { Category: 'PAGE_HEADER_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: png(100, 30, [0, 0, 0]) },
        { Category: 'PAGE_HEADER_LOGO', ColorMode: 'DARK', Extension: 'PNG', Bytes: png(60, 30, [255, 255, 255]) },
        { Category: 'PAGE_BACKGROUND', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: png(8, 8, [200, 220, 240]) },
        { Category: 'FAVICON_ICO', ColorMode: 'DYNAMIC', Extension: 'ICO', Bytes: icon },
      ],
    }),
  );
  for (const [scheme, width] of [
    ['light', 100],
    ['dark', 60],
  ] as const) {
    const { page, violations } = await signInPage(branded.id, scheme);
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.logo-customizable')?.complete === true);
    assert.equal(await page.locator('img.logo-customizable').evaluate((el: HTMLImageElement) => el.naturalWidth), width, scheme);
    // Only a light background was given, so the dark scheme shows it too.
    assert.match(
      await page.locator('body').evaluate((el) => getComputedStyle(el).backgroundImage),
      /managed-login\/asset\?.*category=PAGE_BACKGROUND&mode=LIGHT/,
    );
    const favicon = await page.locator('link[rel="icon"]').getAttribute('href');
    const served = await fetch(new URL(favicon!, page.url()));
    assert.equal(served.headers.get('content-type'), 'image/x-icon');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), icon);
    assert.deepEqual(violations, []);
    t.diagnostic(`screenshot: ${await screenshot(page, `login-managed-branding-two-logos-${scheme}`)}`);
    await page.context().close();
  }
});
