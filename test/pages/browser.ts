import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page, type Route } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import {
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';
import { waitUntil } from '../support/wait.js';
import { createAppClient } from '../oauth/helpers.js';

/** Where the page screenshots go, for a person to review how the pages look. */
export const SCREENSHOTS = join(import.meta.dirname, '..', 'output', 'screenshots');

/** The app's callback: never served, the browser's request to it is answered by the test. */
export const CALLBACK = 'https://app.example.com/callback';

/** How long a page waits for an element, an action or a navigation before its test fails. */
const BROWSER_DEADLINE_MS = 60_000;

/**
 * Debian's Chromium, headless, without the network chatter a test has no use for; `args` adds
 * switches (such as `--host-resolver-rules`) for one test file.
 */
export async function launchBrowser(args: readonly string[] = []): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...args,
    ],
  });
  // Every context waits up to the suite's deadline for an element or a navigation: Playwright's 30 s
  // default is reached when the suite's other files load both cores, and it catches hangs only.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(BROWSER_DEADLINE_MS);
    return context;
  };
  return browser;
}

/** Saves a screenshot of the page and returns its path (for the test's diagnostic). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Waits until the element with `id` has the focus (the page's autofocus, or a field a failed form
 * focuses), failing after 5 s with the element that has it. Chromium applies autofocus at its next
 * rendering step after the load, which a busy machine delays: reading the focus at once is a race.
 */
export async function expectFocus(page: Page, id: string): Promise<void> {
  try {
    await page.waitForFunction((wanted) => document.activeElement?.id === wanted, id, { timeout: 5000 });
  } catch {
    assert.fail(`#${id} has no focus after 5 s; #${await page.evaluate(() => document.activeElement?.id ?? '')} has it`);
  }
}

/**
 * Runs axe-core's WCAG 2.1 A and AA rules on the page as it is and fails with every violation.
 * AxeBuilder injects axe through page.evaluate (the DevTools protocol), which the pages' CSP does
 * not govern, so the product's CSP stays as it is; the test checks axe did run.
 *
 * In legacy mode axe runs whole in the page (axe.run) instead of in parts gathered in a new blank
 * page, a tab (and renderer) more per check; the parts are only for frames of other origins, and
 * the pages have no frame, which is checked.
 */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  assert.deepEqual(
    page.frames().map((frame) => frame.url()),
    [page.url()],
    `${name}: the page has frames, which legacy mode checks only when of the same origin`,
  );
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode().analyze();
  assert.ok(results.passes.length > 0, `${name}: axe ran no rule`);
  const found = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(found, [], `${name}: ${found.join('; ')}`);
}

/**
 * Answers the app's callback in the browser with a blank page; `next()` resolves with the next URL
 * the authorization server redirected to, and fails if none comes within 30 s.
 */
export function captureCallback(page: Page): { next(): Promise<URL> } {
  const seen: URL[] = [];
  void page.route(`${new URL(CALLBACK).origin}/**`, async (route: Route) => {
    seen.push(new URL(route.request().url()));
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title><p>signed in</p>' });
  });
  return {
    next: () =>
      waitUntil(
        () => seen.shift(),
        () => `the browser was not sent to ${CALLBACK} (it is at ${page.url()})`,
        {
          timeoutMs: 30_000,
          intervalMs: 20,
        },
      ),
  };
}

/** An app client that signs users in through managed login with the code grant. */
export function createWebClient(
  server: TestServer,
  poolId: string,
  settings: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ id: string; secret: string | undefined }> {
  return createAppClient(server, poolId, {
    ClientName: 'Web app',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ['COGNITO'],
    ...settings,
  });
}

/** `/oauth2/authorize` of the pool, reached by path, with the given parameters. */
export function authorizeUrl(server: TestServer, poolId: string, params: Record<string, string>): string {
  return `${server.url}/${poolId}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', redirect_uri: CALLBACK, ...params }).toString()}`;
}

/** Exchanges a code at the token endpoint, as the app would. */
export async function exchangeCode(
  server: TestServer,
  poolId: string,
  form: Record<string, string>,
  secret?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (secret !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${form['client_id']}:${secret}`).toString('base64')}`;
  const response = await fetch(`${server.url}/${poolId}/oauth2/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, ...form }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The payload of a JWT, unverified (the token endpoint's own tests verify signatures). */
export function claims(jwt: unknown): Record<string, unknown> {
  const part = typeof jwt === 'string' ? jwt.split('.')[1] : undefined;
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A pool whose sign-up asks for an email and a name (both required), with emailed codes. */
export async function createSignUpPool(server: TestServer, name: string): Promise<string> {
  const created = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: name,
      AutoVerifiedAttributes: ['email'],
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
      ],
    }),
  );
  return created.UserPool?.Id ?? assert.fail('CreateUserPool returned no pool ID');
}

/** The second factors a pool offers, as SetUserPoolMfaConfig takes them. */
export type MfaFactors = Pick<
  SetUserPoolMfaConfigCommandInput,
  'SoftwareTokenMfaConfiguration' | 'SmsMfaConfiguration' | 'EmailMfaConfiguration'
>;

/** TOTP, SMS and email MFA all offered. */
export const ALL_MFA_FACTORS: MfaFactors = {
  SoftwareTokenMfaConfiguration: { Enabled: true },
  SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sns', ExternalId: 'cognate' } },
  EmailMfaConfiguration: {},
};

/**
 * A pool with MFA `mode` offering `factors`, and the other `settings` given; it sends mail as a
 * DEVELOPER pool, which email MFA needs.
 */
export async function createMfaPool(
  server: TestServer,
  name: string,
  mode: 'OPTIONAL' | 'ON',
  factors: MfaFactors = ALL_MFA_FACTORS,
  settings: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  const created = await server.admin.send(
    new CreateUserPoolCommand({
      ...settings,
      PoolName: name,
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com',
        From: 'no-reply@example.com',
      },
    }),
  );
  const poolId = created.UserPool?.Id ?? assert.fail('CreateUserPool returned no pool ID');
  await server.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: mode, ...factors }));
  return poolId;
}

/**
 * Gives the context's first page (opened when there is none) a DevTools virtual authenticator:
 * a platform one (CTAP2, internal) with resident keys that verifies its user and answers at once,
 * so WebAuthn ceremonies run without a person.
 */
export async function addVirtualAuthenticator(context: BrowserContext): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** A small solid-colour PNG, made here so the test needs no image file. */
export function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
