import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { CreateTermsCommand, DeleteTermsCommand, type CreateTermsCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { assertAccessible, authorizeUrl, createSignUpPool, createWebClient, launchBrowser, screenshot } from './browser.js';

let server: TestServer;
let browser: Browser;
let poolId: string;

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  poolId = await createSignUpPool(server, 'terms');
});
after(async () => {
  await browser.close();
  await server.stop();
});

async function createTerms(clientId: string, TermsName: string, Links: Record<string, string>): Promise<string> {
  const input: CreateTermsCommandInput = {
    UserPoolId: poolId,
    ClientId: clientId,
    TermsName,
    TermsSource: 'LINK',
    Enforcement: 'NONE',
    Links,
  };
  return (await server.admin.send(new CreateTermsCommand(input))).Terms!.TermsId!;
}

/** The sign-up page of the client, in a fresh browser context, with `lang` when given. */
async function openSignUp(clientId: string, lang?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 800, height: 1000 } });
  const page = await context.newPage();
  await page.goto(authorizeUrl(server, poolId, { client_id: clientId, ...(lang !== undefined ? { lang } : {}) }));
  // By its target, not its text: with `lang` the sign-in page is in that language.
  await page.locator('a[href*="/signup?"]').click();
  await page.waitForSelector('#signUpUsername');
  return page;
}

async function termsLinks(page: Page): Promise<Record<string, string | null>> {
  return {
    terms: await page.getByRole('link', { name: 'Terms of Use' }).getAttribute('href'),
    privacy: await page.getByRole('link', { name: 'Privacy Policy' }).getAttribute('href'),
  };
}

test('the sign-up page links to the terms of use and privacy policy once the client has both', async (t) => {
  const web = await createWebClient(server, poolId);
  await createTerms(web.id, 'terms-of-use', {
    'cognito:default': 'https://example.com/terms',
    'cognito:french': 'https://example.com/fr/conditions',
  });

  // One document alone is not shown, as Cognito documents.
  const before = await openSignUp(web.id);
  assert.equal(await before.locator('#signUpTerms').count(), 0);
  await before.context().close();

  const privacyId = await createTerms(web.id, 'privacy-policy', { 'cognito:default': 'https://example.com/privacy?a=1&b=2' });
  const page = await openSignUp(web.id);
  assert.match(await page.locator('#signUpTerms').innerText(), /^By signing up, you agree to our Terms of Use and Privacy Policy\.$/);
  assert.deepEqual(await termsLinks(page), { terms: 'https://example.com/terms', privacy: 'https://example.com/privacy?a=1&b=2' });
  assert.equal(await page.getByRole('link', { name: 'Terms of Use' }).getAttribute('rel'), 'noopener noreferrer');
  t.diagnostic(`screenshot: ${await screenshot(page, 'signup-terms')}`);
  // The notice keeps the page within WCAG 2.1 A/AA (the links' contrast and names among it).
  await assertAccessible(page, 'sign-up with terms');
  await page.context().close();

  // In French, the French terms; the privacy policy has no French link, so its default.
  const french = await openSignUp(web.id, 'fr');
  assert.deepEqual(await termsLinks(french), {
    terms: 'https://example.com/fr/conditions',
    privacy: 'https://example.com/privacy?a=1&b=2',
  });
  await french.context().close();

  // Deleting one document takes the notice away again.
  await server.admin.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: privacyId }));
  const after = await openSignUp(web.id);
  assert.equal(await after.locator('#signUpTerms').count(), 0);
  await after.context().close();
});

test('terms of another client are not shown, and a link that is not http(s) never becomes a link', async () => {
  const web = await createWebClient(server, poolId);
  const other = await createWebClient(server, poolId);
  await createTerms(other.id, 'terms-of-use', { 'cognito:default': 'https://example.com/other-terms' });
  await createTerms(other.id, 'privacy-policy', { 'cognito:default': 'https://example.com/other-privacy' });
  const page = await openSignUp(web.id);
  assert.equal(await page.locator('#signUpTerms').count(), 0);
  await page.context().close();

  await createTerms(web.id, 'terms-of-use', { 'cognito:default': 'javascript:alert(1)' });
  await createTerms(web.id, 'privacy-policy', { 'cognito:default': 'https://example.com/privacy' });
  const unsafe = await openSignUp(web.id);
  assert.equal(await unsafe.locator('#signUpTerms').count(), 0);
  assert.equal(await unsafe.locator('a[href^="javascript:"]').count(), 0);
  await unsafe.context().close();
});
