import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmDeviceCommand,
  CreateManagedLoginBrandingCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  DescribeIdentityProviderCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeUserPoolClientCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { assertAccessible, createWebClient, launchBrowser } from './browser.js';
import { FakeUpstream } from '../oauth/fake-upstream.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { SESSION_SECONDS } from '../../src/console/session.js';
import { TestSamlIdp } from '../support/saml-idp.js';

/** The console's screenshots, kept in the docs for a person to see each page. */
const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'console');
const PASSWORD = 'console-Passw0rd';

let server: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let console: string;
/** The server's clock: it starts at the real time (SigV4 compares dates) and jumps past a session's end in the last test. */
const clock = FrozenClock.atNow();

before(async () => {
  // trustProxy lets a request claim another address (X-Forwarded-For), to test the loopback rule.
  server = await startTestServer({ consolePassword: PASSWORD, trustProxy: true }, { clock });
  console = `${server.url}/_cognate/console`;
  browser = await launchBrowser();
  ctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
});
after(async () => {
  await ctx.close();
  await browser.close();
  await server.stop();
});

/** Clicks a submit button and waits for the page its form leads to; resolves with that page's status. */
async function submit(page: Page, form: string, button: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator(`#${form}`).getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState();
  // After a redirect (a change done), the status of the page it led to.
  let request = response.request();
  while (request.redirectedTo()) request = request.redirectedTo()!;
  const last = await request.response();
  assert.ok(last, `no answer to ${request.url()}`);
  return last.status();
}

async function signIn(page: Page, accessKeyId: string, secret: string): Promise<number> {
  await page.goto(`${console}/sign-in`);
  await page.getByLabel('Access key ID').fill(accessKeyId);
  await page.getByLabel(/Secret access key/).fill(secret);
  return submit(page, 'sign-in', 'Sign in');
}

test('without a session every page leads to sign-in; a wrong password is refused, the right one signs in', async () => {
  const page = await ctx.newPage();
  await page.goto(`${console}/pools`);
  assert.equal(new URL(page.url()).pathname, '/_cognate/console/sign-in');
  await assertAccessible(page, 'sign-in');
  await page.screenshot({ path: join(SHOTS, 'sign-in.png') });

  // A POST without a session creates nothing either.
  const before = (await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.length;
  const anonymous = await fetch(`${console}/pools`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'PoolName=sneaky',
  });
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get('location'), '/_cognate/console/sign-in');
  assert.equal((await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.length, before);

  assert.equal(await signIn(page, '', 'wrong-password'), 401);
  await page.getByRole('alert').filter({ hasText: 'Incorrect access key ID, secret or password.' }).waitFor();
  await assertAccessible(page, 'sign-in, refused');
  const cookies = await ctx.cookies();
  assert.equal(
    cookies.find((c) => c.name === 'cognate-console'),
    undefined,
    'a refused sign-in sets no session',
  );

  assert.equal(await signIn(page, '', PASSWORD), 200);
  assert.equal(new URL(page.url()).pathname, '/_cognate/console/pools');
  const session = (await ctx.cookies()).find((c) => c.name === 'cognate-console');
  assert.ok(session, 'the session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.equal(session.path, '/_cognate/console');
  assert.ok(session.expires > Date.now() / 1000, 'the session cookie expires');
  await page.close();
});

test('an admin key pair signs in; local:local is refused from another machine', async () => {
  const key = server.adminKey;
  const other = await browser.newContext();
  const page = await other.newPage();
  assert.equal(await signIn(page, key.accessKeyId, 'not-the-secret'), 401);
  assert.equal(await signIn(page, key.accessKeyId, key.secretAccessKey), 200);
  await page.getByRole('heading', { name: 'User pools', level: 1 }).waitFor();
  await other.close();

  assert.deepEqual(key, { accessKeyId: 'local', secretAccessKey: 'local' }, 'the test server runs with the default pair');
  const form = await fetch(`${console}/sign-in`);
  const csrfCookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = csrfCookie.split('=')[1]!;
  const remote = await fetch(`${console}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie, 'x-forwarded-for': '203.0.113.9' },
    body: new URLSearchParams({ _csrf: token, accessKeyId: 'local', secret: 'local' }).toString(),
  });
  assert.equal(remote.status, 401);
  assert.match(await remote.text(), /signs in from this machine only/);
  assert.ok(!(remote.headers.get('set-cookie') ?? '').includes('cognate-console='), 'no session for a refused sign-in');
});

test('create pool → create client → create user in the console, then the user signs in with the SDK', async () => {
  const page = await ctx.newPage();
  await page.goto(`${console}/pools`);
  await assertAccessible(page, 'pools');

  // An invalid value: the operation's own message beside the form, the value kept and escaped.
  await page.getByLabel('Pool name').fill('bad<name>');
  assert.equal(await submit(page, 'create-pool', 'Create pool'), 400);
  await page
    .locator('#create-pool')
    .getByRole('alert')
    .filter({ hasText: "Value 'bad<name>' at 'poolName' failed to satisfy constraint" })
    .waitFor();
  assert.match(await page.locator('#create-pool').getByRole('alert').innerText(), /\(InvalidParameterException\)$/);
  await assertAccessible(page, 'pools, refused');
  await page.screenshot({ path: join(SHOTS, 'pools-error.png') });

  await page.getByLabel('Pool name').fill('console-walk');
  assert.equal(await submit(page, 'create-pool', 'Create pool'), 200);
  await page.getByRole('status').filter({ hasText: 'User pool created.' }).waitFor();
  const poolId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  assert.match(poolId, /^us-east-1_\w+$/);
  const created = await page.locator('dt:text-is("Created") + dd').innerText();
  assert.ok(Math.abs(Date.parse(created) - Date.now()) < 24 * 3600_000, `the pool's creation date ${created} is today`);

  await page.getByLabel('Client name').fill('web');
  await page.getByLabel('ALLOW_USER_PASSWORD_AUTH').check();
  await page.getByLabel('ALLOW_REFRESH_TOKEN_AUTH').check();
  assert.equal(await submit(page, 'create-client', 'Create client'), 200);
  const clientId = (await page.locator('#created-client-id').innerText()).trim();
  assert.equal(await page.locator('#created-client-secret').count(), 0, 'no secret was asked for');

  // A client with a secret: shown once, the very secret Cognito stores.
  await page.getByLabel('Client name').fill('backend');
  await page.getByLabel('Generate a client secret').check();
  assert.equal(await submit(page, 'create-client', 'Create client'), 200);
  const backendId = (await page.locator('#created-client-id').innerText()).trim();
  const shownSecret = (await page.locator('#created-client-secret').innerText()).trim();
  const described = await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: backendId }));
  assert.equal(shownSecret, described.UserPoolClient?.ClientSecret);
  await page.screenshot({ path: join(SHOTS, 'client-secret.png') });
  // The form's address opened again leads to the pool's page, which never shows the secret.
  await page.goto(page.url());
  assert.equal(new URL(page.url()).pathname, `/_cognate/console/pools/${poolId}`);
  assert.equal(await page.locator('#created-client-secret').count(), 0, 'the secret is not shown again');
  assert.equal(await page.getByRole('cell', { name: backendId }).count(), 1);

  // A temporary password the pool's policy refuses: the operation's message beside the form.
  await page.getByLabel('Username', { exact: true }).fill('ann');
  await page.getByLabel('Temporary password').fill('short');
  assert.equal(await submit(page, 'create-user', 'Create user'), 400);
  await page.locator('#create-user').getByRole('alert').filter({ hasText: 'InvalidPasswordException' }).waitFor();
  await assertAccessible(page, 'pool, refused user');

  await page.getByLabel('Email (optional)').fill('ann@example.com');
  await page.getByLabel('Temporary password').fill('Temporary-Passw0rd');
  assert.equal(await submit(page, 'create-user', 'Create user'), 200);
  await page.getByRole('status').filter({ hasText: 'User created.' }).waitFor();
  await page.getByRole('cell', { name: 'FORCE_CHANGE_PASSWORD' }).waitFor();

  await page.getByLabel('Group name').fill('admins');
  assert.equal(await submit(page, 'create-group', 'Create group'), 200);
  await page.getByRole('cell', { name: 'admins', exact: true }).waitFor();
  await assertAccessible(page, 'pool');
  await page.screenshot({ path: join(SHOTS, 'pool.png'), fullPage: true });

  // The user signs in with the SDK: the temporary password, then their own.
  const first = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'ann', PASSWORD: 'Temporary-Passw0rd' },
    }),
  );
  assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  const done = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: first.Session,
      ChallengeResponses: { USERNAME: 'ann', NEW_PASSWORD: 'Own-Passw0rd-1' },
    }),
  );
  assert.ok(done.AuthenticationResult?.AccessToken, 'the user signed in');

  // Filters in ListUsers' syntax; a malformed one gets the operation's message.
  await page.getByLabel(/^Filter/).fill('email ^= "ann"');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('cell', { name: 'ann@example.com' }).waitFor();
  await page.getByLabel(/^Filter/).fill('email ^= "bob"');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('No user matches the filter.').waitFor();
  await page.getByLabel(/^Filter/).fill('nonsense');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#filter-error').filter({ hasText: 'InvalidParameterException' }).waitFor();
  await assertAccessible(page, 'pool, bad filter');

  // Disable: the user can no longer sign in; enable again; delete.
  await page.goto(`${console}/pools/${poolId}`);
  await Promise.all([page.waitForURL(/notice=user-disabled/), page.getByRole('button', { name: 'Disable ann' }).click()]);
  const disabled = await captureError(() =>
    server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'ann', PASSWORD: 'Own-Passw0rd-1' },
      }),
    ),
  );
  assert.equal(disabled.name, 'NotAuthorizedException');
  assert.equal(disabled.message, 'User is disabled.');
  await Promise.all([page.waitForURL(/notice=user-enabled/), page.getByRole('button', { name: 'Enable ann' }).click()]);
  await Promise.all([page.waitForURL(/notice=user-deleted/), page.getByRole('button', { name: 'Delete ann' }).click()]);
  await page.getByText('No user yet.').waitFor();
  await page.close();
});

test('a POST without the CSRF token is refused and changes nothing', async () => {
  const before = (await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.length;
  // The browser's own request context carries the session cookie, as a forged form would.
  const refused = await ctx.request.post(`${console}/pools`, { form: { PoolName: 'forged' }, maxRedirects: 0 });
  assert.equal(refused.status(), 403);
  const wrong = await ctx.request.post(`${console}/pools`, { form: { PoolName: 'forged', _csrf: 'A'.repeat(43) }, maxRedirects: 0 });
  assert.equal(wrong.status(), 403);
  assert.equal((await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.length, before);
  // A form posted from another origin is refused before anything runs.
  const crossOrigin = await ctx.request.post(`${console}/pools`, {
    form: { PoolName: 'forged' },
    headers: { origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  assert.equal(crossOrigin.status(), 403);
});

/** A value that would run if a page did not escape it. */
const SCRIPT = '<script>alert("x")</script>';

/** Fails the test if a page ever runs a script (an unescaped value would). */
function refuseScripts(page: Page): void {
  page.on('dialog', (dialog) => assert.fail(`a page ran a script: ${dialog.message()}`));
}

test("a user's page: attributes, devices and sign-in events; groups, disable, reset and delete change the user", async () => {
  const pool = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: 'console-users',
      UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
    }),
  );
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  await server.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: SCRIPT }));
  await server.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
  const by = { UserPoolId: poolId, Username: 'bea' };
  await server.admin.send(
    new AdminCreateUserCommand({ ...by, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'name', Value: SCRIPT }] }),
  );
  await server.admin.send(new AdminSetUserPasswordCommand({ ...by, Password: 'Bea-Passw0rd-1', Permanent: true }));
  // A sign-in, which the pool's threat protection records, and the device it remembers.
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'bea', PASSWORD: 'Bea-Passw0rd-1' },
    }),
  );
  const device = signedIn.AuthenticationResult!.NewDeviceMetadata!;
  await server.anonymous.send(
    new ConfirmDeviceCommand({
      AccessToken: signedIn.AuthenticationResult!.AccessToken,
      DeviceKey: device.DeviceKey,
      DeviceSecretVerifierConfig: {
        PasswordVerifier: Buffer.alloc(256, 7).toString('base64'),
        Salt: Buffer.alloc(16, 9).toString('base64'),
      },
      DeviceName: `laptop ${SCRIPT}`,
    }),
  );

  const page = await ctx.newPage();
  refuseScripts(page);
  await page.goto(`${console}/pools/${poolId}`);
  await Promise.all([page.waitForURL(/\/users\/bea$/), page.getByRole('link', { name: 'bea', exact: true }).click()]);
  await page.getByRole('heading', { name: 'bea', level: 1 }).waitFor();
  await page.getByRole('row', { name: `name ${SCRIPT}` }).waitFor();
  await page.getByRole('cell', { name: `laptop ${SCRIPT}` }).waitFor();
  await page.getByRole('cell', { name: device.DeviceKey! }).waitFor();
  await page.getByRole('cell', { name: 'SignIn' }).waitFor();
  assert.equal(await page.locator('dt:text-is("Status") + dd').innerText(), 'CONFIRMED');
  await assertAccessible(page, 'user');
  await page.screenshot({ path: join(SHOTS, 'user.png'), fullPage: true });

  // Groups: added in the page, seen by the API; removed again.
  await page.getByLabel('Group', { exact: true }).selectOption(SCRIPT);
  assert.equal(await submit(page, 'add-to-group', 'Add to group'), 200);
  await page.getByRole('status').filter({ hasText: 'User added to the group.' }).waitFor();
  const groups = async () => (await server.admin.send(new AdminListGroupsForUserCommand(by))).Groups?.map((g) => g.GroupName);
  assert.deepEqual(await groups(), [SCRIPT]);
  await page.getByRole('link', { name: SCRIPT }).waitFor();
  await Promise.all([page.waitForURL(/notice=group-removed/), page.getByRole('button', { name: `Remove from ${SCRIPT}` }).click()]);
  assert.deepEqual(await groups(), []);

  // A group gone since the page was drawn: the operation's message on the page, not a failure.
  await server.admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
  await page.getByLabel('Group', { exact: true }).selectOption('staff');
  assert.equal(await submit(page, 'add-to-group', 'Add to group'), 400);
  await page.getByRole('alert').filter({ hasText: 'ResourceNotFoundException' }).waitFor();
  await assertAccessible(page, 'user, refused');

  // Without the CSRF token nothing happens.
  const forged = await ctx.request.post(`${console}/pools/${poolId}/users/bea/disable`, { form: { x: '1' }, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  assert.equal((await server.admin.send(new AdminGetUserCommand(by))).Enabled, true);

  await Promise.all([page.waitForURL(/notice=user-disabled/), page.getByRole('button', { name: 'Disable' }).click()]);
  assert.equal((await server.admin.send(new AdminGetUserCommand(by))).Enabled, false);
  assert.equal(await page.locator('dt:text-is("Enabled") + dd').innerText(), 'Disabled');
  await Promise.all([page.waitForURL(/notice=user-enabled/), page.getByRole('button', { name: 'Enable' }).click()]);
  assert.equal((await server.admin.send(new AdminGetUserCommand(by))).Enabled, true);
  // A reset needs somewhere to send the code: refused first, in the operation's words.
  assert.equal(await submit(page, 'user-actions', 'Reset password'), 400);
  await page
    .getByRole('alert')
    .filter({ hasText: 'Cannot reset password for the user as there is no registered/verified email or phone_number' })
    .waitFor();
  await server.admin.send(
    new AdminUpdateUserAttributesCommand({
      ...by,
      UserAttributes: [
        { Name: 'email', Value: 'bea@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await Promise.all([page.waitForURL(/notice=password-reset/), page.getByRole('button', { name: 'Reset password' }).click()]);
  assert.equal((await server.admin.send(new AdminGetUserCommand(by))).UserStatus, 'RESET_REQUIRED');

  await Promise.all([page.waitForURL(/notice=user-deleted/), page.getByRole('button', { name: 'Delete user' }).click()]);
  assert.equal(new URL(page.url()).pathname, `/_cognate/console/pools/${poolId}`);
  assert.equal((await captureError(() => server.admin.send(new AdminGetUserCommand(by)))).name, 'UserNotFoundException');
  const gone = await page.goto(`${console}/pools/${poolId}/users/bea`);
  assert.equal(gone?.status(), 404);
  await page.getByRole('alert').filter({ hasText: 'User does not exist. (UserNotFoundException)' }).waitFor();
  await page.close();
});

test("a group's page: its members, description and precedence saved, then deleted", async () => {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'console-groups' }));
  const poolId = pool.UserPool!.Id!;
  const group = { UserPoolId: poolId, GroupName: 'editors' };
  await server.admin.send(new CreateGroupCommand({ ...group, Description: SCRIPT, Precedence: 3 }));
  for (const username of ['cy', SCRIPT]) {
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
    await server.admin.send(new AdminAddUserToGroupCommand({ ...group, Username: username }));
  }

  const page = await ctx.newPage();
  refuseScripts(page);
  await page.goto(`${console}/pools/${poolId}`);
  await Promise.all([page.waitForURL(/\/groups\/editors$/), page.getByRole('link', { name: 'editors' }).click()]);
  await page.getByRole('link', { name: SCRIPT }).waitFor();
  await page.getByRole('link', { name: 'cy', exact: true }).waitFor();
  // A member's name with a slash and markup still leads to their own page.
  await page.getByRole('link', { name: SCRIPT }).click();
  await page.getByRole('heading', { name: SCRIPT, level: 1 }).waitFor();
  await page.getByRole('link', { name: 'editors' }).waitFor();
  await page.goBack();
  assert.equal(await page.getByLabel('Description').inputValue(), SCRIPT);
  assert.equal(await page.getByLabel('Precedence').inputValue(), '3');
  await assertAccessible(page, 'group');
  await page.screenshot({ path: join(SHOTS, 'group.png'), fullPage: true });

  // A precedence the operation refuses: its message beside the form, the values kept.
  await page.getByLabel('Description').fill('People who edit');
  await page.getByLabel('Precedence').fill('-1');
  assert.equal(await submit(page, 'update-group', 'Save group'), 400);
  await page.locator('#update-group').getByRole('alert').filter({ hasText: 'InvalidParameterException' }).waitFor();
  assert.equal(await page.getByLabel('Description').inputValue(), 'People who edit');
  await assertAccessible(page, 'group, refused');

  await page.getByLabel('Precedence').fill('7');
  assert.equal(await submit(page, 'update-group', 'Save group'), 200);
  await page.getByRole('status').filter({ hasText: 'Group saved.' }).waitFor();
  const saved = (await server.admin.send(new GetGroupCommand(group))).Group;
  assert.equal(saved?.Description, 'People who edit');
  assert.equal(saved?.Precedence, 7);

  const forged = await ctx.request.post(`${console}/pools/${poolId}/groups/editors/delete`, { form: { x: '1' }, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  assert.equal(await submit(page, 'delete-group', 'Delete group'), 200);
  await page.getByRole('status').filter({ hasText: 'Group deleted.' }).waitFor();
  assert.equal((await captureError(() => server.admin.send(new GetGroupCommand(group)))).name, 'ResourceNotFoundException');
  assert.equal((await page.goto(`${console}/pools/${poolId}/groups/editors`))?.status(), 404);
  await page.close();
});

test("a pool's identity providers: an OIDC provider added from its issuer's discovery document, then deleted", async () => {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'console-federation' }));
  const poolId = pool.UserPool!.Id!;
  const upstream = await FakeUpstream.start();
  upstream.on('/.well-known/openid-configuration', {
    json: {
      issuer: upstream.url,
      authorization_endpoint: `${upstream.url}/authorize`,
      token_endpoint: `${upstream.url}/token`,
      userinfo_endpoint: `${upstream.url}/userinfo`,
      jwks_uri: `${upstream.url}/jwks`,
    },
  });
  try {
    const page = await ctx.newPage();
    refuseScripts(page);
    await page.goto(`${console}/pools/${poolId}`);
    await Promise.all([page.waitForURL(/\/identity-providers$/), page.getByRole('link', { name: 'Identity providers' }).click()]);
    await page.getByText('No identity provider yet.').waitFor();

    const oidc = page.locator('#create-provider');
    // A mapping to an attribute the pool lacks: the operation's message, the values kept and escaped.
    await oidc.getByLabel('Provider name').fill('Corp');
    await oidc.getByLabel('Client ID').fill(SCRIPT);
    await oidc.getByLabel('Client secret').fill('upstream-secret');
    await oidc.getByLabel('Issuer URL').fill(upstream.url);
    await oidc.getByLabel('Attribute mapping').fill('email=email, shoe_size=shoe');
    assert.equal(await submit(page, 'create-provider', 'Add provider'), 400);
    await page
      .locator('#create-provider')
      .getByRole('alert')
      .filter({ hasText: 'AttributeMapping contains invalid mapping: [shoe_size] (InvalidParameterException)' })
      .waitFor();
    assert.equal(await oidc.getByLabel('Client ID').inputValue(), SCRIPT);
    assert.equal(await oidc.getByLabel('Client secret').inputValue(), '', 'the secret is not sent back');
    await assertAccessible(page, 'identity providers, refused');

    await oidc.getByLabel('Client secret').fill('upstream-secret');
    await oidc.getByLabel('Attribute mapping').fill('email=email, name=name');
    await oidc.getByLabel(/^Identifiers/).fill('corp.example, corp');
    assert.equal(await submit(page, 'create-provider', 'Add provider'), 200);
    await page.getByRole('status').filter({ hasText: 'Identity provider created.' }).waitFor();
    await page.getByRole('cell', { name: 'OIDC' }).waitFor();
    const described = (await server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })))
      .IdentityProvider;
    assert.equal(described?.ProviderDetails?.['client_id'], SCRIPT);
    assert.equal(described?.ProviderDetails?.['client_secret'], 'upstream-secret');
    assert.equal(described?.ProviderDetails?.['token_url'], `${upstream.url}/token`, 'read from the discovery document');
    assert.deepEqual(described?.AttributeMapping, { username: 'sub', email: 'email', name: 'name' });
    assert.deepEqual(described?.IdpIdentifiers, ['corp.example', 'corp']);
    await assertAccessible(page, 'identity providers');
    await page.screenshot({ path: join(SHOTS, 'identity-providers.png'), fullPage: true });

    // Its page: new scopes keep the secret and the endpoints of the discovery document; a new issuer's are read again.
    await Promise.all([page.waitForURL(/\/identity-providers\/Corp$/), page.getByRole('link', { name: 'Corp' }).click()]);
    assert.ok(!(await page.content()).includes('upstream-secret'), 'the secret is not in the page');
    await page.getByLabel('Scopes').fill('openid email');
    assert.equal(await submit(page, 'update-provider', 'Save provider'), 200);
    const corp = async () =>
      (await server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }))).IdentityProvider!;
    let changed = await corp();
    assert.equal(changed.ProviderDetails?.['authorize_scopes'], 'openid email');
    assert.equal(changed.ProviderDetails?.['client_secret'], 'upstream-secret');
    assert.equal(changed.ProviderDetails?.['token_url'], `${upstream.url}/token`);
    upstream.on('/tenant/.well-known/openid-configuration', {
      json: {
        issuer: `${upstream.url}/tenant`,
        authorization_endpoint: `${upstream.url}/tenant/authorize`,
        token_endpoint: `${upstream.url}/tenant/token`,
        jwks_uri: `${upstream.url}/tenant/jwks`,
      },
    });
    await page.getByLabel('Issuer URL').fill(`${upstream.url}/tenant`);
    assert.equal(await submit(page, 'update-provider', 'Save provider'), 200);
    changed = await corp();
    assert.equal(changed.ProviderDetails?.['token_url'], `${upstream.url}/tenant/token`);
    assert.equal(changed.ProviderDetails?.['attributes_url'], undefined, 'the new issuer has no userinfo endpoint');
    await page.goto(`${console}/pools/${poolId}/identity-providers`);

    const forged = await ctx.request.post(`${console}/pools/${poolId}/identity-providers/delete`, {
      form: { ProviderName: 'Corp' },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403);
    await Promise.all([page.waitForURL(/notice=provider-deleted/), page.getByRole('button', { name: 'Delete Corp' }).click()]);
    await page.getByText('No identity provider yet.').waitFor();
    const gone = await captureError(() =>
      server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })),
    );
    assert.equal(gone.name, 'ResourceNotFoundException');
    await page.close();
  } finally {
    await upstream.close();
  }
});

test("a pool's identity providers: SAML from its metadata, Google and Sign in with Apple, each changed on its own page", async () => {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'console-saml-social' }));
  const poolId = pool.UserPool!.Id!;
  const byName = (ProviderName: string) => ({ UserPoolId: poolId, ProviderName });
  const idp = new TestSamlIdp();
  const page = await ctx.newPage();
  refuseScripts(page);
  await page.goto(`${console}/pools/${poolId}/identity-providers`);

  // Both metadata sources: the operation's message, the document and the mapping kept and escaped.
  const saml = page.locator('#create-saml');
  await saml.getByLabel('Provider name').fill('Okta');
  await saml.getByLabel('Metadata document URL').fill('https://idp.example.com/metadata');
  await saml.getByLabel('Metadata document (XML)').fill(idp.metadata());
  await saml.getByLabel('Sign out from the IdP too').check();
  await saml.getByLabel('Attribute mapping').fill(`email=${SCRIPT}`);
  assert.equal(await submit(page, 'create-saml', 'Add provider'), 400);
  await saml.getByRole('alert').filter({ hasText: 'Only one of the MetadataURL or MetadataFile should be provided.' }).waitFor();
  assert.equal(await saml.getByLabel('Metadata document (XML)').inputValue(), idp.metadata());
  assert.equal(await saml.getByLabel('Attribute mapping').inputValue(), `email=${SCRIPT}`);
  await assertAccessible(page, 'identity providers, SAML refused');
  await saml.getByLabel('Metadata document URL').fill('');
  // A name of symbols is one Cognito's pattern allows: listed, linked and shown escaped.
  await saml.getByLabel('Provider name').fill(SCRIPT);
  assert.equal(await submit(page, 'create-saml', 'Add provider'), 200);
  await page.getByRole('status').filter({ hasText: 'Identity provider created.' }).waitFor();
  const okta = (await server.admin.send(new DescribeIdentityProviderCommand(byName(SCRIPT)))).IdentityProvider!;
  assert.equal(okta.ProviderType, 'SAML');
  assert.equal(okta.ProviderDetails?.['MetadataFile'], idp.metadata());
  assert.equal(okta.ProviderDetails?.['IDPSignout'], 'true');
  assert.deepEqual(okta.AttributeMapping, { email: SCRIPT });

  // Google without its secret: Cognito's list of required details; then with it.
  const social = page.locator('#create-social');
  await social.getByLabel('Provider').selectOption('Google');
  await social.getByLabel('Client ID').fill(SCRIPT);
  assert.equal(await submit(page, 'create-social', 'Add provider'), 400);
  await social
    .getByRole('alert')
    .filter({ hasText: 'client_id, client_secret and authorize_scopes are all required idp details (InvalidParameterException)' })
    .waitFor();
  assert.equal(await social.getByLabel('Provider').inputValue(), 'Google');
  assert.equal(await social.getByLabel('Client ID').inputValue(), SCRIPT);
  await social.getByLabel('Client secret').fill('google-secret');
  await social.getByLabel('Scopes').fill('openid email');
  assert.equal(await submit(page, 'create-social', 'Add provider'), 200);
  const google = (await server.admin.send(new DescribeIdentityProviderCommand(byName('Google')))).IdentityProvider!;
  assert.equal(google.ProviderDetails?.['client_id'], SCRIPT);
  assert.equal(google.ProviderDetails?.['client_secret'], 'google-secret');
  assert.equal(google.ProviderDetails?.['authorize_scopes'], 'openid email');

  const appleKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await social.getByLabel('Provider').selectOption('SignInWithApple');
  await social.getByLabel('Client ID').fill('com.example.web');
  await social.getByLabel('Team ID').fill('TEAM123456');
  await social.getByLabel('Key ID').fill(SCRIPT);
  await social.getByLabel('Private key (PEM)').fill(appleKey);
  await social.getByLabel('Scopes').fill('email name');
  assert.equal(await submit(page, 'create-social', 'Add provider'), 200);
  const apple = (await server.admin.send(new DescribeIdentityProviderCommand(byName('SignInWithApple')))).IdentityProvider!;
  assert.equal(apple.ProviderDetails?.['team_id'], 'TEAM123456');
  assert.equal(apple.ProviderDetails?.['key_id'], SCRIPT);
  await page.getByRole('cell', { name: 'SAML' }).waitFor();
  await assertAccessible(page, 'identity providers, SAML and social');
  await page.screenshot({ path: join(SHOTS, 'identity-providers-saml-social.png'), fullPage: true });

  // Google's page: its secret only said to be set; a changed mapping and scopes keep the secret.
  await Promise.all([page.waitForURL(/\/identity-providers\/Google$/), page.getByRole('link', { name: 'Google' }).click()]);
  assert.ok(!(await page.content()).includes('google-secret'), 'the secret is not in the page');
  assert.equal(await page.locator('dt:text-is("client_secret") + dd').innerText(), 'Set (not shown)');
  const update = page.locator('#update-provider');
  assert.equal(await update.getByLabel(/^Client secret/).inputValue(), '');
  await update.getByLabel('Attribute mapping').fill('shoe_size=shoe');
  assert.equal(await submit(page, 'update-provider', 'Save provider'), 400);
  await update
    .getByRole('alert')
    .filter({ hasText: 'AttributeMapping contains invalid mapping: [shoe_size] (InvalidParameterException)' })
    .waitFor();
  await assertAccessible(page, 'identity provider, refused');
  await update.getByLabel('Attribute mapping').fill('email=email, name=name');
  await update.getByLabel('Scopes').fill('openid email profile');
  assert.equal(await submit(page, 'update-provider', 'Save provider'), 200);
  await page.getByRole('status').filter({ hasText: 'Identity provider saved.' }).waitFor();
  const changed = (await server.admin.send(new DescribeIdentityProviderCommand(byName('Google')))).IdentityProvider!;
  assert.equal(changed.ProviderDetails?.['client_secret'], 'google-secret', 'the secret left empty is kept');
  assert.equal(changed.ProviderDetails?.['authorize_scopes'], 'openid email profile');
  assert.deepEqual(changed.AttributeMapping, { username: 'sub', email: 'email', name: 'name' });
  assert.equal(await page.getByLabel('Client ID').inputValue(), SCRIPT);
  await assertAccessible(page, 'identity provider');
  await page.screenshot({ path: join(SHOTS, 'identity-provider.png'), fullPage: true });
  const forged = await ctx.request.post(`${console}/pools/${poolId}/identity-providers/Google/update`, {
    form: { client_id: 'forged', authorize_scopes: 'openid', AttributeMapping: 'email=email' },
    maxRedirects: 0,
  });
  assert.equal(forged.status(), 403);
  assert.equal(
    (await server.admin.send(new DescribeIdentityProviderCommand(byName('Google')))).IdentityProvider?.ProviderDetails?.['client_id'],
    SCRIPT,
  );

  // Apple's key, never described, is kept through a change of its team; SAML's sign-out is turned off.
  await page.goto(`${console}/pools/${poolId}/identity-providers/SignInWithApple`);
  assert.equal(await page.locator('dt:text-is("private_key") + dd').innerText(), 'Set (not shown)');
  await page.getByLabel('Team ID').fill('TEAM654321');
  assert.equal(await submit(page, 'update-provider', 'Save provider'), 200);
  const moved = (await server.admin.send(new DescribeIdentityProviderCommand(byName('SignInWithApple')))).IdentityProvider!;
  assert.equal(moved.ProviderDetails?.['team_id'], 'TEAM654321');
  assert.equal(moved.ProviderDetails?.['key_id'], SCRIPT, 'shown back into the form escaped, and sent again as it was');
  const stored = await server.services.store.identityProviders.get(poolId, 'SignInWithApple');
  assert.equal(stored?.details['private_key'], appleKey.trim());

  await page.goto(`${console}/pools/${poolId}/identity-providers`);
  await Promise.all([page.waitForURL(/\/identity-providers\/%3Cscript/), page.getByRole('link', { name: SCRIPT }).click()]);
  await page.getByRole('heading', { name: SCRIPT, level: 1 }).waitFor();
  assert.equal(await page.getByLabel('Metadata document (XML)').inputValue(), idp.metadata());
  await page.getByLabel('Sign out from the IdP too').uncheck();
  assert.equal(await submit(page, 'update-provider', 'Save provider'), 200);
  const quiet = (await server.admin.send(new DescribeIdentityProviderCommand(byName(SCRIPT)))).IdentityProvider!;
  assert.equal(quiet.ProviderDetails?.['IDPSignout'], undefined);
  assert.equal(quiet.ProviderDetails?.['MetadataFile'], idp.metadata());
  assert.deepEqual(quiet.AttributeMapping, { email: SCRIPT });
  assert.equal((await page.goto(`${console}/pools/${poolId}/identity-providers/Nobody`))?.status(), 404);
  await page.close();
});

test('identity pools: created with a user pool as provider, their roles set with the role mappings kept', async () => {
  const identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'console-identities' }));
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }));
  const clientId = client.UserPoolClient!.ClientId!;

  const page = await ctx.newPage();
  refuseScripts(page);
  await page.goto(`${console}/pools`);
  await Promise.all([page.waitForURL(/\/identity-pools$/), page.getByRole('link', { name: 'Identity pools' }).click()]);
  await page.getByLabel('Name', { exact: true }).fill(SCRIPT);
  assert.equal(await submit(page, 'create-identity-pool', 'Create identity pool'), 400);
  await page
    .locator('#create-identity-pool')
    .getByRole('alert')
    .filter({ hasText: `Value '${SCRIPT}' at 'identityPoolName'` })
    .waitFor();
  await assertAccessible(page, 'identity pools, refused');

  await page.getByLabel('Name', { exact: true }).fill('console ids');
  await page.getByLabel('User pool ID (optional)').fill(poolId);
  await page.getByLabel('App client ID (optional)').fill(clientId);
  await page.getByLabel('Allow guest (unauthenticated) identities').check();
  assert.equal(await submit(page, 'create-identity-pool', 'Create identity pool'), 200);
  await page.getByRole('status').filter({ hasText: 'Identity pool created.' }).waitFor();
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  const described = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }));
  assert.equal(described.IdentityPoolName, 'console ids');
  assert.equal(described.AllowUnauthenticatedIdentities, true);
  const provider = `cognito-idp.us-east-1.amazonaws.com/${poolId}`;
  assert.deepEqual(
    described.CognitoIdentityProviders?.map((p) => [p.ProviderName, p.ClientId]),
    [[provider, clientId]],
  );

  // A role mapping set through the API, which saving the roles in the page keeps.
  const mappings = { [`${provider}:${clientId}`]: { Type: 'Token' as const, AmbiguousRoleResolution: 'Deny' as const } };
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: {}, RoleMappings: mappings }));
  await page.reload();
  await page.getByRole('cell', { name: 'Token' }).waitFor();

  await page.getByLabel('Authenticated role ARN').fill(SCRIPT);
  assert.equal(await submit(page, 'set-roles', 'Save roles'), 400);
  await page
    .locator('#set-roles')
    .getByRole('alert')
    .filter({ hasText: `Access to Role '${SCRIPT}' is forbidden. (NotAuthorizedException)` })
    .waitFor();
  assert.equal(await page.getByLabel('Authenticated role ARN').inputValue(), SCRIPT);
  await assertAccessible(page, 'identity pool, refused');

  const authenticated = 'arn:aws:iam::123456789012:role/console-auth';
  const guest = 'arn:aws:iam::123456789012:role/console-guest';
  await page.getByLabel('Authenticated role ARN').fill(authenticated);
  await page.getByLabel('Guest role ARN').fill(guest);
  assert.equal(await submit(page, 'set-roles', 'Save roles'), 200);
  await page.getByRole('status').filter({ hasText: 'Roles saved.' }).waitFor();
  const roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
  assert.deepEqual(roles.Roles, { authenticated, unauthenticated: guest });
  assert.deepEqual(roles.RoleMappings, mappings);
  await assertAccessible(page, 'identity pool');
  await page.screenshot({ path: join(SHOTS, 'identity-pool.png'), fullPage: true });

  const forged = await ctx.request.post(`${console}/identity-pools/${id}/roles`, { form: { authenticated: guest }, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  assert.equal((await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }))).Roles?.['authenticated'], authenticated);

  await page.goto(`${console}/identity-pools`);
  await page.getByRole('link', { name: 'console ids' }).waitFor();
  await assertAccessible(page, 'identity pools');
  await page.screenshot({ path: join(SHOTS, 'identity-pools.png'), fullPage: true });
  assert.equal((await page.goto(`${console}/identity-pools/us-east-1:00000000-0000-4000-8000-000000000000`))?.status(), 404);
  identity.destroy();
  await page.close();
});

test("an identity pool's role mappings edited and removed in the page, then the pool deleted after a confirmation", async () => {
  const identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'console-mappings' }));
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }));
  const provider = `cognito-idp.us-east-1.amazonaws.com/${poolId}`;
  const key = `${provider}:${client.UserPoolClient!.ClientId!}`;
  const authenticated = 'arn:aws:iam::123456789012:role/mapped-auth';
  const created = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'mapped ids',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: client.UserPoolClient!.ClientId! }],
    }),
  );
  const id = created.IdentityPoolId!;
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { authenticated } }));

  const page = await ctx.newPage();
  refuseScripts(page);
  await page.goto(`${console}/identity-pools/${id}`);
  await page.getByText('No role mapping: every identity gets the role above.').waitFor();
  const form = page.locator('#set-mapping');
  assert.equal(await form.getByLabel('Provider').inputValue(), key, "the pool's first provider is offered");

  // A rule whose role is no ARN: the operation's message, the rules kept and escaped.
  await form.getByLabel('Mapping type').selectOption('Rules');
  await form.getByLabel('When no role is chosen').selectOption('Deny');
  await form.getByLabel(/^Rules/).fill(`cognito:groups Contains admins ${SCRIPT}`);
  assert.equal(await submit(page, 'set-mapping', 'Save role mapping'), 400);
  await form
    .getByRole('alert')
    .filter({ hasText: `Access to Role '${SCRIPT}' is forbidden. (NotAuthorizedException)` })
    .waitFor();
  assert.equal(await form.getByLabel(/^Rules/).inputValue(), `cognito:groups Contains admins ${SCRIPT}`);
  assert.equal(await form.getByLabel('Mapping type').inputValue(), 'Rules');
  await assertAccessible(page, 'identity pool, refused mapping');

  const admins = 'arn:aws:iam::123456789012:role/admins';
  const red = 'arn:aws:iam::123456789012:role/red-team';
  await form.getByLabel(/^Rules/).fill(`cognito:groups Contains admins ${admins}\ncustom:team Equals red team ${red}`);
  assert.equal(await submit(page, 'set-mapping', 'Save role mapping'), 200);
  await page.getByRole('status').filter({ hasText: 'Role mapping saved.' }).waitFor();
  const rules = {
    Type: 'Rules',
    AmbiguousRoleResolution: 'Deny',
    RulesConfiguration: {
      Rules: [
        { Claim: 'cognito:groups', MatchType: 'Contains', Value: 'admins', RoleARN: admins },
        { Claim: 'custom:team', MatchType: 'Equals', Value: 'red team', RoleARN: red },
      ],
    },
  };
  let roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
  assert.deepEqual(roles.RoleMappings, { [key]: rules });
  assert.deepEqual(roles.Roles, { authenticated }, 'the roles are kept');
  await assertAccessible(page, 'identity pool, mapping');
  await page.screenshot({ path: join(SHOTS, 'identity-pool-mappings.png'), fullPage: true });

  // Edited again from its row: the form holds the mapping; a provider the pool lacks is refused.
  await Promise.all([page.waitForURL(/mapping=/), page.getByRole('link', { name: `Edit the mapping of ${key}` }).click()]);
  assert.equal(
    await form.getByLabel(/^Rules/).inputValue(),
    `cognito:groups Contains admins ${admins}\ncustom:team Equals red team ${red}`,
  );
  await form.getByLabel('Provider').fill(SCRIPT);
  assert.equal(await submit(page, 'set-mapping', 'Save role mapping'), 400);
  await form.getByRole('alert').filter({ hasText: 'InvalidParameterException' }).waitFor();
  assert.equal(await form.getByLabel('Provider').inputValue(), SCRIPT);
  await form.getByLabel('Provider').fill(key);
  await form.getByLabel('Mapping type').selectOption('Token');
  assert.equal(await submit(page, 'set-mapping', 'Save role mapping'), 200);
  roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
  assert.deepEqual(roles.RoleMappings, { [key]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } });

  const forgedMapping = await ctx.request.post(`${console}/identity-pools/${id}/mappings/remove`, {
    form: { provider: key },
    maxRedirects: 0,
  });
  assert.equal(forgedMapping.status(), 403);
  await Promise.all([
    page.waitForURL(/notice=mapping-removed/),
    page.getByRole('button', { name: `Remove the mapping of ${key}` }).click(),
  ]);
  roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
  assert.equal(roles.RoleMappings, undefined);
  assert.deepEqual(roles.Roles, { authenticated });

  // Deleting asks first; a forged confirmation deletes nothing.
  await Promise.all([page.waitForURL(/\/delete$/), page.getByRole('link', { name: 'Delete mapped ids…' }).click()]);
  await page.getByRole('heading', { name: 'Delete mapped ids?' }).waitFor();
  await assertAccessible(page, 'identity pool, delete');
  await page.screenshot({ path: join(SHOTS, 'identity-pool-delete.png') });
  const forged = await ctx.request.post(`${console}/identity-pools/${id}/delete`, { form: {}, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  assert.equal((await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }))).IdentityPoolName, 'mapped ids');
  assert.equal(await submit(page, 'confirm-delete', 'Delete identity pool'), 200);
  await page.getByRole('status').filter({ hasText: 'Identity pool deleted.' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'mapped ids' }).count(), 0);
  const gone = await captureError(() => identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })));
  assert.equal(gone.name, 'ResourceNotFoundException');
  assert.equal((await page.goto(`${console}/identity-pools/${id}/delete`))?.status(), 404);
  identity.destroy();
  await page.close();
});

/** A pool with a managed login client of this name, for a style test; `byClient` names the client's style. */
async function styledClient(poolName: string, clientName: string) {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: poolName }));
  const poolId = pool.UserPool!.Id!;
  const client = await createWebClient(server, poolId, { ClientName: clientName });
  return { poolId, client, byClient: { UserPoolId: poolId, ClientId: client.id } };
}

test("a client's managed login style: saved from the form, seen on the real sign-in page, reset and deleted", async () => {
  const { poolId, client, byClient } = await styledClient('console-branding', 'Styled app');

  const page = await ctx.newPage();
  refuseScripts(page);
  await page.goto(`${console}/pools/${poolId}`);
  await Promise.all([page.waitForURL(/\/branding$/), page.getByRole('link', { name: 'Managed login style of Styled app' }).click()]);
  await page.getByText('No style: the managed login has its default look.').waitFor();

  // A style made through the API since the page was drawn: the operation's refusal, the values kept.
  await server.admin.send(new CreateManagedLoginBrandingCommand({ ...byClient, UseCognitoProvidedValues: true }));
  await page.getByLabel('Page background (rrggbbaa)').fill('0b7268ff');
  assert.equal(await submit(page, 'save-style', 'Save style'), 400);
  await page.locator('#save-style').getByRole('alert').filter({ hasText: 'ManagedLoginBrandingExistsException' }).waitFor();
  assert.equal(await page.getByLabel('Page background (rrggbbaa)').inputValue(), '0b7268ff');
  await assertAccessible(page, 'branding, refused');

  await page.reload();
  await page.getByText("Cognito's own look.").waitFor();
  await page.getByLabel('Colour scheme').selectOption('LIGHT');
  await page.getByLabel('Page background (rrggbbaa)').fill('0b7268ff');
  await page.getByLabel('Button colour (rrggbbaa)').fill('#b00020');
  await page.getByLabel('Button text colour (rrggbbaa)').fill(SCRIPT);
  await page.getByLabel('Button corner radius (px)').fill('20');
  assert.equal(await submit(page, 'save-style', 'Save style'), 200);
  await page.getByRole('status').filter({ hasText: 'Style saved.' }).waitFor();
  const saved = (await server.admin.send(new DescribeManagedLoginBrandingByClientCommand(byClient))).ManagedLoginBranding!;
  assert.deepEqual(saved.Settings, {
    categories: { global: { colorSchemeMode: 'LIGHT' } },
    components: {
      pageBackground: { lightMode: { color: '0b7268ff' } },
      primaryButton: { lightMode: { defaults: { backgroundColor: 'b00020ff', textColor: SCRIPT } } },
    },
    componentClasses: { buttons: { borderRadius: 20 } },
  });
  assert.equal(await page.getByLabel('Button text colour (rrggbbaa)').inputValue(), SCRIPT, 'shown back as typed, escaped');
  await assertAccessible(page, 'branding');
  await page.screenshot({ path: join(SHOTS, 'branding.png'), fullPage: true });

  // The preview is the managed login itself, with the style.
  const preview = await ctx.newPage();
  await preview.goto(new URL((await page.locator('#preview').getAttribute('href'))!, page.url()).toString());
  const css = (selector: string, property: 'backgroundColor' | 'borderRadius') =>
    preview
      .locator(selector)
      .first()
      .evaluate((el, name) => getComputedStyle(el)[name], property);
  assert.equal(await css('body', 'backgroundColor'), 'rgb(11, 114, 104)');
  assert.equal(await css('.submitButton-customizable', 'backgroundColor'), 'rgb(176, 0, 32)');
  assert.equal(await css('.submitButton-customizable', 'borderRadius'), '20px');
  await preview.screenshot({ path: join(SHOTS, 'branding-preview.png') });
  await preview.close();

  const forged = await ctx.request.post(`${console}/pools/${poolId}/clients/${client.id}/branding/delete`, {
    form: { ManagedLoginBrandingId: saved.ManagedLoginBrandingId! },
    maxRedirects: 0,
  });
  assert.equal(forged.status(), 403);
  await Promise.all([page.waitForURL(/notice=style-reset/), page.getByRole('button', { name: "Use Cognito's look" }).click()]);
  const reset = (await server.admin.send(new DescribeManagedLoginBrandingByClientCommand(byClient))).ManagedLoginBranding!;
  assert.equal(reset.UseCognitoProvidedValues, true);
  assert.equal(reset.Settings, undefined);
  await Promise.all([page.waitForURL(/notice=style-deleted/), page.getByRole('button', { name: 'Delete style' }).click()]);
  const gone = await captureError(() => server.admin.send(new DescribeManagedLoginBrandingByClientCommand(byClient)));
  assert.equal(gone.name, 'ResourceNotFoundException');
  await page.close();
});

test("a client's style: the form's values previewed in the page unsaved, a logo uploaded and drawn in the preview", async () => {
  const { poolId, client, byClient } = await styledClient('console-logo', 'Logo app');
  const page = await ctx.newPage();
  refuseScripts(page);
  const response = await page.goto(`${console}/pools/${poolId}/clients/${client.id}/branding`);
  const csp = response?.headers()['content-security-policy'] ?? '';
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /script-src/, 'the console runs no script');
  // The preview is the managed login's card in a shadow root of its own (Playwright's selectors go into it).
  const preview = page.locator('#login-preview');
  const css = (selector: string, property: 'backgroundColor' | 'color') =>
    preview
      .locator(selector)
      .first()
      .evaluate((el, name) => getComputedStyle(el)[name], property);
  assert.equal(await css('.submitButton-customizable', 'backgroundColor'), 'rgb(9, 114, 211)', "the managed login's default look");
  assert.equal(await preview.locator('.app-name').innerText(), 'Logo app');

  // Preview: the form's values drawn, nothing saved, the values kept in the form.
  await page.getByLabel('Page background (rrggbbaa)').fill('0b7268ff');
  await page.getByLabel('Button colour (rrggbbaa)').fill('#b00020');
  await page.getByLabel('Button text colour (rrggbbaa)').fill(SCRIPT);
  assert.equal(await submit(page, 'save-style', 'Preview'), 200);
  await page.getByRole('status').filter({ hasText: "Previewing the form's values" }).waitFor();
  assert.equal(await css('.preview-page', 'backgroundColor'), 'rgb(11, 114, 104)');
  assert.equal(await css('.submitButton-customizable', 'backgroundColor'), 'rgb(176, 0, 32)');
  assert.equal(await page.getByLabel('Button text colour (rrggbbaa)').inputValue(), SCRIPT);
  const unsaved = await captureError(() => server.admin.send(new DescribeManagedLoginBrandingByClientCommand(byClient)));
  assert.equal(unsaved.name, 'ResourceNotFoundException', 'a preview saves nothing');
  await assertAccessible(page, 'branding, preview');

  // Uploads the operation refuses: bytes that are no PNG, a file over the asset's 1,000,000 bytes; a GIF is not offered.
  const upload = page.locator('#upload-image');
  await page.getByLabel('Image file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(SCRIPT) });
  assert.equal(await submit(page, 'upload-image', 'Upload image'), 400);
  await upload
    .getByRole('alert')
    .filter({ hasText: 'The asset of category FORM_LOGO is not a valid PNG image. (InvalidParameterException)' })
    .waitFor();
  await assertAccessible(page, 'branding, refused image');
  const big = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1_000_000)]);
  await page.getByLabel('Image file').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
  assert.equal(await submit(page, 'upload-image', 'Upload image'), 400);
  await upload.getByRole('alert').filter({ hasText: 'Member must have length less than or equal to 1000000' }).waitFor();
  await page.getByLabel('Image file').setInputFiles({ name: 'logo.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
  assert.equal(await submit(page, 'upload-image', 'Upload image'), 400);
  await upload.getByRole('alert').filter({ hasText: 'Choose a PNG, SVG, JPEG, ICO or WEBP file.' }).waitFor();
  // A body over the 2 MB a branding request may have is not read at all.
  const huge = await ctx.request.post(`${console}/pools/${poolId}/clients/${client.id}/branding/assets`, {
    multipart: { Bytes: { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(2_200_000) } },
    maxRedirects: 0,
  });
  assert.equal(huge.status(), 413);
  // Only the upload's route takes more than the server's bodyLimit (1 MiB in the tests).
  const elsewhere = await ctx.request.post(`${console}/pools`, {
    multipart: { PoolName: 'big', Bytes: { name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(1_500_000) } },
    maxRedirects: 0,
  });
  assert.equal(elsewhere.status(), 413);

  const logo = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48"><rect width="160" height="48" rx="8" fill="#b00020"/></svg>',
  );
  const forged = await ctx.request.post(`${console}/pools/${poolId}/clients/${client.id}/branding/assets`, {
    multipart: { Category: 'FORM_LOGO', ColorMode: 'LIGHT', Bytes: { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: logo } },
    maxRedirects: 0,
  });
  assert.equal(forged.status(), 403);
  await page.getByLabel('Image file').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: logo });
  assert.equal(await submit(page, 'upload-image', 'Upload image'), 200);
  await page.getByRole('status').filter({ hasText: 'Image uploaded.' }).waitFor();
  const saved = (await server.admin.send(new DescribeManagedLoginBrandingByClientCommand(byClient))).ManagedLoginBranding!;
  assert.deepEqual(
    saved.Assets?.map((a) => [a.Category, a.ColorMode, a.Extension, Buffer.from(a.Bytes!).toString()]),
    [['FORM_LOGO', 'LIGHT', 'SVG', logo.toString()]],
  );
  const image = preview.locator('img.logo-customizable');
  await page.waitForFunction(
    () => (document.querySelector('#login-preview')?.shadowRoot?.querySelector('img') as HTMLImageElement | null)?.naturalWidth === 160,
  );
  assert.equal(await image.getAttribute('alt'), 'Logo app');
  await page.getByText('Images: FORM_LOGO (LIGHT, SVG).').waitFor();

  // A second image of the same kind and mode replaces the first.
  const wide = Buffer.from(logo.toString().replace('width="160"', 'width="200"'));
  await page.getByLabel('Image file').setInputFiles({ name: 'wide.SVG', mimeType: 'image/svg+xml', buffer: wide });
  assert.equal(await submit(page, 'upload-image', 'Upload image'), 200);
  const replaced = (await server.admin.send(new DescribeManagedLoginBrandingByClientCommand(byClient))).ManagedLoginBranding!;
  assert.equal(replaced.Assets?.length, 1);
  assert.equal(Buffer.from(replaced.Assets![0]!.Bytes!).toString(), wide.toString());
  await page.waitForFunction(
    () => (document.querySelector('#login-preview')?.shadowRoot?.querySelector('img') as HTMLImageElement | null)?.naturalWidth === 200,
  );
  await assertAccessible(page, 'branding, image');
  await page.screenshot({ path: join(SHOTS, 'branding-image.png'), fullPage: true });
  await page.close();
});

test('the users list pages through ListUsers with its pagination token, the filter kept', async () => {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'console-many' }));
  const poolId = pool.UserPool!.Id!;
  for (let i = 0; i < 27; i++) {
    const username = `user${String(i).padStart(2, '0')}`;
    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: `${i === 26 ? 'zed' : username}@example.com` }],
      }),
    );
  }
  const page = await ctx.newPage();
  await page.goto(`${console}/pools/${poolId}?filter=${encodeURIComponent('email ^= "user"')}`);
  const rows = page.locator('#users-heading ~ table tbody tr');
  assert.equal(await rows.count(), 25);
  await Promise.all([page.waitForURL(/token=/), page.getByRole('link', { name: 'Next page' }).click()]);
  assert.equal(await rows.count(), 1, 'the 26th user matching the filter; zed does not');
  assert.equal(new URL(page.url()).searchParams.get('filter'), 'email ^= "user"');
  assert.equal(await page.getByRole('link', { name: 'Next page' }).count(), 0);
  await page.getByRole('link', { name: 'First page' }).click();
  await page.getByRole('link', { name: 'Next page' }).waitFor();
  await page.close();
});

test('a session past its end leads to sign-in, though the browser still holds the cookie', async () => {
  const page = await ctx.newPage();
  await page.goto(`${console}/pools`);
  await page.getByRole('heading', { name: 'User pools', level: 1 }).waitFor();
  clock.advance((SESSION_SECONDS + 1) * 1000);
  // The browser would drop the cookie at its Max-Age; the sealed expiry is what the server checks.
  const session = (await ctx.cookies()).find((c) => c.name === 'cognate-console');
  assert.ok(session, 'the browser still sends the cookie');
  await page.goto(`${console}/pools`);
  assert.equal(new URL(page.url()).pathname, '/_cognate/console/sign-in');
  clock.advance(-(SESSION_SECONDS + 1) * 1000);
  await page.close();
});

test('signing out ends the session', async () => {
  const page = await ctx.newPage();
  await page.goto(`${console}/pools`);
  await Promise.all([page.waitForURL(/\/sign-in$/), page.getByRole('button', { name: 'Sign out' }).click()]);
  await page.goto(`${console}/pools`);
  assert.equal(new URL(page.url()).pathname, '/_cognate/console/sign-in');
  await page.close();
});
