import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import { createConfirmedUser } from '../oauth/helpers.js';
import { authorizeUrl, captureCallback, createWebClient, expectFocus, launchBrowser, screenshot, createSignUpPool } from './browser.js';

let server: TestServer;
let browser: Browser;
let poolId: string;
let web: { id: string; secret: string | undefined };
const PASSWORD = 'Correct-horse-1';

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  poolId = await createSignUpPool(server, 'forms');
  web = await createWebClient(server, poolId);
  await createConfirmedUser(server, poolId, 'alice', PASSWORD, { email: 'alice@example.com', email_verified: 'true', name: 'Alice' });
});
after(async () => {
  await browser.close();
  await server.stop();
});

function context(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 800, height: 1000 }, ...options });
}

async function openSignUp(page: Page): Promise<void> {
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id }));
  await page.getByRole('link', { name: 'Sign up' }).click();
  await page.waitForSelector('#signUpUsername');
}

/** Each field's problem as the page shows it, with what the input says of itself. */
async function fieldProblem(page: Page, id: string): Promise<{ text: string; invalid: string | null; describedBy: string | null }> {
  const input = page.locator(`#${id}`);
  return {
    text: await page.locator(`#${id}_error`).innerText(),
    invalid: await input.getAttribute('aria-invalid'),
    describedBy: await input.getAttribute('aria-describedby'),
  };
}

test('an empty sign-up form shows each problem beside its field in plain words, and focuses the first', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  await openSignUp(page);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign up' }).click(),
  ]);
  assert.equal(response.status(), 400);
  await page.waitForSelector('.field-error');
  assert.equal(await page.locator('.errorMessage-customizable').innerText(), 'Check the 4 fields marked below.');
  assert.deepEqual(await fieldProblem(page, 'signUpUsername'), {
    text: 'Enter your username.',
    invalid: 'true',
    describedBy: 'signUpUsername_error',
  });
  assert.deepEqual(await fieldProblem(page, 'signUp_email'), {
    text: 'Enter your email.',
    invalid: 'true',
    describedBy: 'signUp_email_error',
  });
  assert.deepEqual(await fieldProblem(page, 'signUp_name'), {
    text: 'Enter your name.',
    invalid: 'true',
    describedBy: 'signUp_name_error',
  });
  assert.deepEqual(await fieldProblem(page, 'signUpPassword'), {
    text: 'Enter a password.',
    invalid: 'true',
    describedBy: 'signUpPassword_error passwordRules',
  });
  // The accessible description a screen reader reads with the focused field is its problem.
  await expectFocus(page, 'signUpUsername');
  const body = await page.locator('body').innerText();
  assert.ok(!body.includes('validation error'), body);
  assert.ok(!body.includes('failed to satisfy constraint'), body);
  t.diagnostic(`screenshot: ${await screenshot(page, 'signup-empty-form')}`);
  await ctx.close();
});

test('errors the API raises go beside the field they concern: an existing user, a bad email, a weak password', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await openSignUp(page);
  const fill = async (values: { username: string; email: string; password: string }): Promise<void> => {
    await page.getByLabel('Username', { exact: true }).fill(values.username);
    await page.getByLabel('Email', { exact: true }).fill(values.email);
    await page.getByLabel('Name', { exact: true }).fill('Someone');
    await page.getByLabel('Password', { exact: true }).fill(values.password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForSelector('.field-error');
  };

  await fill({ username: 'alice', email: 'alice2@example.com', password: 'Sturdy-pass-1' });
  assert.deepEqual(await fieldProblem(page, 'signUpUsername'), {
    text: 'An account with this username already exists. Sign in instead, or choose another username.',
    invalid: 'true',
    describedBy: 'signUpUsername_error',
  });
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 1);

  await fill({ username: 'new user', email: 'new@example.com', password: 'Sturdy-pass-1' });
  assert.equal((await fieldProblem(page, 'signUpUsername')).text, 'Username cannot contain spaces.');

  await fill({ username: 'newuser', email: 'not-an-address', password: 'Sturdy-pass-1' });
  assert.deepEqual(await fieldProblem(page, 'signUp_email'), {
    text: 'Enter an email address, like name@example.com.',
    invalid: 'true',
    describedBy: 'signUp_email_error',
  });
  await expectFocus(page, 'signUp_email');

  await fill({ username: 'newuser', email: 'new@example.com', password: 'sturdy-pass-1' });
  assert.equal((await fieldProblem(page, 'signUpPassword')).text, 'Include an upper case letter (A to Z).');
  await expectFocus(page, 'signUpPassword');
  assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), 'newuser');
  await ctx.close();
});

test('the other forms name their empty fields too: sign-in, forgot password, confirm', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id }));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.field-error');
  assert.equal((await fieldProblem(page, 'signInFormUsername')).text, 'Enter your username.');
  assert.equal((await fieldProblem(page, 'signInFormPassword')).text, 'Enter your password.');

  await page.getByLabel('Username', { exact: true }).fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.errorMessage-customizable');
  // A wrong password concerns no single field: it stays above the form, and no field is marked.
  assert.equal(await page.locator('.errorMessage-customizable').innerText(), 'Incorrect username or password.');
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('button', { name: 'Reset my password' }).click();
  await page.waitForSelector('.field-error');
  assert.equal((await fieldProblem(page, 'forgotPasswordUsername')).text, 'Enter your username.');

  await page.goto(
    `${server.url}/${poolId}/confirm?${new URLSearchParams({ client_id: web.id, response_type: 'code', redirect_uri: 'https://app.example.com/callback' }).toString()}`,
  );
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await page.waitForSelector('.field-error');
  assert.equal((await fieldProblem(page, 'confirmUsername')).text, 'Enter your username.');
  assert.equal((await fieldProblem(page, 'verification_code')).text, 'Enter the code we sent you.');
  await ctx.close();
});

/** WCAG's contrast ratio of two `rgb(...)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string): number => {
    const [r = 0, g = 0, bl = 0] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((high ?? 0) + 0.05) / ((low ?? 0) + 0.05);
}

test('input borders stand out from the card at 3:1 or more (WCAG 1.4.11)', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id }));
  // The password input: the username has the focus, whose own border colour would hide the resting one.
  const input = page.locator('#signInFormPassword');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'signInFormPassword');
  const border = await input.evaluate((el) => getComputedStyle(el).borderTopColor);
  const card = await page.locator('.modal-content').evaluate((el) => getComputedStyle(el).backgroundColor);
  const ratio = contrast(border, card);
  assert.ok(ratio >= 3, `border ${border} on ${card}: ${ratio.toFixed(2)}:1`);
  await ctx.close();
});

test('a "Show password" checkbox reveals the password, under the strict CSP, and the form works without JavaScript', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(authorizeUrl(server, poolId, { client_id: web.id }));
  const password = page.getByLabel('Password', { exact: true });
  await password.fill(PASSWORD);
  const toggle = page.getByRole('checkbox', { name: 'Show password' });
  assert.equal(await toggle.getAttribute('aria-controls'), 'signInFormPassword');
  await toggle.check();
  assert.equal(await password.getAttribute('type'), 'text');
  t.diagnostic(`screenshot: ${await screenshot(page, 'login-password-shown')}`);
  await toggle.uncheck();
  assert.equal(await password.getAttribute('type'), 'password');
  assert.deepEqual(violations, []);
  await ctx.close();

  const noScript = await context({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  const callback = captureCallback(plain);
  await plain.goto(authorizeUrl(server, poolId, { client_id: web.id, state: 'no-js' }));
  assert.equal(await plain.getByRole('checkbox', { name: 'Show password' }).count(), 0);
  await plain.getByLabel('Username', { exact: true }).fill('alice');
  await plain.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const [redirected] = await Promise.all([callback.next(), plain.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(redirected.searchParams.get('state'), 'no-js');
  assert.ok(redirected.searchParams.get('code'));
  await noScript.close();
});

test("the /error page looks like the other pages, with the client's name, and escapes what it shows", async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const response = await page.goto(
    `${server.url}/${poolId}/error?${new URLSearchParams({ error: '<b>redirect_mismatch</b>', client_id: web.id }).toString()}`,
  );
  assert.equal(response?.status(), 400);
  assert.equal(await page.locator('h1').innerText(), 'An error was encountered with the requested page.');
  assert.equal(await page.locator('.banner-customizable').innerText(), 'Web app');
  assert.equal(await page.locator('code').innerText(), '<b>redirect_mismatch</b>');
  assert.equal(await page.locator('main.modal-content').count(), 1);
  assert.equal(await page.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(242, 243, 243)');
  t.diagnostic(`screenshot: ${await screenshot(page, 'error-page')}`);
  await ctx.close();
});
