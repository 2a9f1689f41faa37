import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { FUNCTION_MODES, functionArn, moduleFunctions, serveFunctions, type FunctionServer } from '../support/functions.js';
import { srpClient } from '../support/srp-client.js';
import { createClient, createPool } from '../api/auth-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { authorizeUrl, captureCallback, claims, createWebClient, exchangeCode, launchBrowser } from '../pages/browser.js';

/*
 * The user migration trigger through the wire (AWS SDK v3, and Chromium for managed login). The
 * main handler is AWS's developer guide example: it authenticates against a "legacy" directory
 * and answers with the user's attributes, CONFIRMED, and no welcome message.
 */
const LEGACY_PASSWORD = 'hunter22'; // breaks the pool's default policy: migration keeps it anyway
const handlers = moduleFunctions({
  migrate: `const legacy = {
    lee: { password: '${LEGACY_PASSWORD}', email: 'lee@example.com' },
    'lee@example.com': { password: '${LEGACY_PASSWORD}', email: 'lee@example.com' },
  };
  const authenticateUser = (name, password) => (legacy[name]?.password === password ? legacy[name] : undefined);
  const lookupUser = (name) => legacy[name];
  export const handler = async (event) => {
    if (event.triggerSource === 'UserMigration_Authentication') {
      const user = authenticateUser(event.userName, event.request.password);
      if (!user) throw new Error('Bad password');
      event.response.userAttributes = { email: user.email, email_verified: 'true' };
      event.response.finalUserStatus = 'CONFIRMED';
      event.response.messageAction = 'SUPPRESS';
      return event;
    }
    if (event.triggerSource === 'UserMigration_ForgotPassword') {
      const user = lookupUser(event.userName);
      if (!user) throw new Error('Bad password');
      event.response.userAttributes = { email: user.email, email_verified: 'true' };
      event.response.messageAction = 'SUPPRESS';
      return event;
    }
    throw new Error('Bad triggerSource ' + event.triggerSource);
  };`,
  'migrate-reset': `export const handler = async (event) => {
    event.response.userAttributes = { email: 'reset@example.com', email_verified: 'true' };
    event.response.finalUserStatus = 'RESET_REQUIRED';
    return event;
  };`,
  // Keeps what it was sent in an attribute, so that a test can read the event back.
  'migrate-echo': `export const handler = async (event) => {
    const seen = { userName: event.userName, triggerSource: event.triggerSource, request: event.request, response: { ...event.response } };
    event.response.userAttributes = { email: 'echo@example.com', email_verified: 'true', 'custom:event': JSON.stringify(seen) };
    return event;
  };`,
  // The choices under test come from the sign-in's ClientMetadata (the event's validationData).
  'migrate-choices': `export const handler = async (event) => {
    const asked = event.request.validationData ?? {};
    event.response.userAttributes = { email: 'shared@example.com', email_verified: 'true', phone_number: '+15550100', phone_number_verified: 'true' };
    event.response.finalUserStatus = 'CONFIRMED';
    if (asked.force) event.response.forceAliasCreation = asked.force === 'true';
    if (asked.action) event.response.messageAction = asked.action;
    if (asked.mediums) event.response.desiredDeliveryMediums = asked.mediums.split(',');
    return event;
  };`,
  'refuse-sign-up': `export const handler = async () => { throw new Error('No sign-ups here'); };`,
  'welcome-message': `export const handler = async (event) => {
    if (event.triggerSource === 'CustomMessage_AdminCreateUser') {
      event.response.emailSubject = 'Welcome aboard';
      event.response.emailMessage = 'Hello ' + event.request.usernameParameter + ', your code is ' + event.request.codeParameter;
    }
    return event;
  };`,
  'migrate-no-attributes': `export const handler = async (event) => { event.response.finalUserStatus = 'CONFIRMED'; return event; };`,
  'migrate-sets-username': `export const handler = async (event) => {
    event.response.userAttributes = { email: 'x@example.com' };
    event.response.username = 'someone-else';
    return event;
  };`,
});
/** The response a migration event arrives with: every field the handler may set, null. */
const UNSET_RESPONSE = {
  userAttributes: null,
  finalUserStatus: null,
  messageAction: null,
  desiredDeliveryMediums: null,
  forceAliasCreation: null,
  enableSMSMFA: null,
};
const EVENT_ATTRIBUTE = { Name: 'event', AttributeDataType: 'String', Mutable: true } as const;

let functions: FunctionServer;
let server: TestServer;
const servers: TestServer[] = [];
before(async () => {
  functions = await serveFunctions(handlers);
  // A frozen clock: the lockout test must not see its one-second lockout run out.
  server = await startTestServer({ functions: functions.targets('module') }, { clock: FrozenClock.atNow() });
  servers.push(server);
});
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await functions.close();
});

async function migratingPool(target: TestServer, handler: string, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  return createPool(target, { LambdaConfig: { UserMigration: functionArn(handler) }, Schema: [EVENT_ATTRIBUTE], ...input });
}

function passwordAuth(clientId: string, username: string, password: string, metadata?: Record<string, string>): InitiateAuthCommand {
  return new InitiateAuthCommand({
    ClientId: clientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD: password },
    ...(metadata ? { ClientMetadata: metadata } : {}),
  });
}

async function migrations(target: TestServer, poolId: string): Promise<string[]> {
  return (await target.services.invocations.list(poolId))
    .map((r) => r.triggerSource ?? '')
    .filter((source) => source.startsWith('UserMigration_'));
}

async function userExists(target: TestServer, poolId: string, username: string): Promise<boolean> {
  try {
    await target.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'UserNotFoundException') return false;
    throw error;
  }
}

function attribute(user: { UserAttributes?: { Name?: string; Value?: string }[] }, name: string): string | undefined {
  return user.UserAttributes?.find((a) => a.Name === name)?.Value;
}

for (const mode of FUNCTION_MODES) {
  test(`${mode}: a legacy user signs in with the old password, is created CONFIRMED, and signs in with SRP afterwards`, async () => {
    const target = mode === 'module' ? server : await startTestServer({ functions: functions.targets(mode) });
    if (target !== server) servers.push(target);
    const poolId = await migratingPool(target, 'migrate');
    const { clientId } = await createClient(target, poolId);

    const signedIn = await target.anonymous.send(passwordAuth(clientId, 'lee', LEGACY_PASSWORD, { tenant: 'acme' }));
    const id = claims(signedIn.AuthenticationResult?.IdToken);
    assert.equal(id['cognito:username'], 'lee');
    assert.equal(id['email'], 'lee@example.com');
    assert.equal(id['email_verified'], true);
    const user = await target.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'lee' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(attribute(user, 'sub'), id['sub']);

    // The password was kept: SRP, which cannot migrate, now signs the user in without the trigger.
    const srp = srpClient(poolId);
    const challenge = await target.anonymous.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'lee', SRP_A: srp.srpA } }),
    );
    const params = challenge.ChallengeParameters ?? {};
    const proven = await target.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: { USERNAME: 'lee', ...srp.respond(params, LEGACY_PASSWORD, target.services.clock.now()) },
      }),
    );
    assert.ok(proven.AuthenticationResult?.AccessToken);
    assert.deepEqual(await migrations(target, poolId), ['UserMigration_Authentication']);

    // A wrong password: the handler refuses, Cognito's failed-migration answer, no user.
    const refused = await captureError(() => target.anonymous.send(passwordAuth(clientId, 'lee@example.com', 'not-it')));
    assert.equal(refused.name, 'UserNotFoundException');
    assert.equal(refused.message, `Exception migrating user in app client ${clientId}`);
    assert.equal(refused.$metadata?.httpStatusCode, 400);

    if (mode !== 'module') {
      const event = functions.events('migrate').find((e) => e['userPoolId'] === poolId);
      assert.equal(event?.['triggerSource'], 'UserMigration_Authentication');
      assert.equal(event?.['userName'], 'lee');
      assert.deepEqual(event?.['callerContext'], { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId });
      assert.deepEqual(event?.['request'], { password: LEGACY_PASSWORD, validationData: { tenant: 'acme' } });
      assert.deepEqual(event?.['response'], UNSET_RESPONSE);
    }
  });
}

test('while user-existence errors are hidden, a refused migration answers as a wrong password and locks the name out', async () => {
  const poolId = await migratingPool(server, 'migrate');
  const { clientId } = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });
  for (let attempt = 1; attempt <= 5; attempt++) {
    const error = await captureError(() => server.anonymous.send(passwordAuth(clientId, 'lee', `wrong-${attempt}`)));
    assert.equal(error.name, 'NotAuthorizedException', `attempt ${attempt}`);
    assert.equal(error.message, 'Incorrect username or password.');
  }
  assert.equal((await migrations(server, poolId)).length, 5);
  // Locked out: the legacy directory is not asked again, even with the right password.
  const locked = await captureError(() => server.anonymous.send(passwordAuth(clientId, 'lee', LEGACY_PASSWORD)));
  assert.equal(locked.name, 'NotAuthorizedException');
  assert.equal(locked.message, 'Password attempts exceeded');
  assert.equal((await migrations(server, poolId)).length, 5);
  assert.equal(await userExists(server, poolId, 'lee'), false);

  // The lockout is the name's in that pool only: the same legacy user migrates in another pool.
  const other = await migratingPool(server, 'migrate');
  const otherClient = await createClient(server, other, { PreventUserExistenceErrors: 'ENABLED' });
  const ok = await server.anonymous.send(passwordAuth(otherClient.clientId, 'lee', LEGACY_PASSWORD));
  assert.ok(ok.AuthenticationResult?.AccessToken);
});

test('USER_SRP_AUTH cannot carry a password, so an unknown name is not migrated', async () => {
  const poolId = await migratingPool(server, 'migrate');
  const { clientId } = await createClient(server, poolId);
  const srp = srpClient(poolId);
  const error = await captureError(() =>
    server.anonymous.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'lee', SRP_A: srp.srpA } }),
    ),
  );
  assert.equal(error.name, 'UserNotFoundException');
  assert.equal(error.message, 'User does not exist.');
  assert.deepEqual(await migrations(server, poolId), []);
});

test('ForgotPassword migrates the user without a password, due a reset; the emailed code then sets one', async () => {
  const poolId = await migratingPool(server, 'migrate');
  const { clientId } = await createClient(server, poolId);
  const sent = await server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'lee' }));
  assert.equal(sent.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
  assert.equal(sent.CodeDeliveryDetails?.AttributeName, 'email');
  assert.deepEqual(await migrations(server, poolId), ['UserMigration_ForgotPassword']);
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'lee' }));
  assert.equal(user.UserStatus, 'RESET_REQUIRED');

  const code = (await server.lastMessage(poolId, 'lee'))?.code ?? '';
  assert.match(code, /^\d{6}$/);
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'lee', ConfirmationCode: code, Password: 'New-Password-1' }),
  );
  const signedIn = await server.anonymous.send(passwordAuth(clientId, 'lee', 'New-Password-1'));
  assert.ok(signedIn.AuthenticationResult?.AccessToken);

  const unknown = await captureError(() => server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'nobody' })));
  assert.equal(unknown.name, 'UserNotFoundException');
  assert.equal(unknown.message, `Exception migrating user in app client ${clientId}`);
});

test('the event: the typed name, the password and validationData on sign-in; clientMetadata and no password on ForgotPassword', async () => {
  const poolId = await migratingPool(server, 'migrate-echo');
  const { clientId } = await createClient(server, poolId);
  await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'ann', PASSWORD: 'any-password' },
      ClientMetadata: { source: 'admin' },
    }),
  );
  const ann = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }));
  assert.deepEqual(JSON.parse(attribute(ann, 'custom:event') ?? '{}'), {
    userName: 'ann',
    triggerSource: 'UserMigration_Authentication',
    request: { password: 'any-password', validationData: { source: 'admin' } },
    response: UNSET_RESPONSE,
  });

  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bea', ClientMetadata: { source: 'reset' } }));
  const bea = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bea' }));
  const seen = JSON.parse(attribute(bea, 'custom:event') ?? '{}') as Record<string, unknown>;
  assert.equal(seen['triggerSource'], 'UserMigration_ForgotPassword');
  assert.deepEqual(seen['request'], { clientMetadata: { source: 'reset' } });
});

test('finalUserStatus RESET_REQUIRED creates the user and asks for a reset at once', async () => {
  const poolId = await migratingPool(server, 'migrate-reset');
  const { clientId } = await createClient(server, poolId);
  const error = await captureError(() => server.anonymous.send(passwordAuth(clientId, 'rita', 'old-password')));
  assert.equal(error.name, 'PasswordResetRequiredException');
  assert.equal(error.message, 'Password reset required for the user');
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'rita' }));
  assert.equal(user.UserStatus, 'RESET_REQUIRED');
});

test('in a pool that signs in with email, the typed email fills the attribute and the username is a new UUID', async () => {
  const poolId = await migratingPool(server, 'migrate', { UsernameAttributes: ['email'] });
  const { clientId } = await createClient(server, poolId);
  const signedIn = await server.anonymous.send(passwordAuth(clientId, 'lee@example.com', LEGACY_PASSWORD));
  const id = claims(signedIn.AuthenticationResult?.IdToken);
  assert.equal(id['email'], 'lee@example.com');
  assert.equal(id['cognito:username'], id['sub']);
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'lee@example.com' }));
  assert.equal(user.Username, id['sub']);
});

test('an answer without userAttributes, or with a field the trigger may not set, is InvalidLambdaResponseException and creates nobody', async () => {
  for (const handler of ['migrate-no-attributes', 'migrate-sets-username']) {
    const poolId = await migratingPool(server, handler);
    const { clientId } = await createClient(server, poolId);
    const error = await captureError(() => server.anonymous.send(passwordAuth(clientId, 'ivan', 'Some-Password-1')));
    assert.equal(error.name, 'InvalidLambdaResponseException', handler);
    assert.equal(error.message, 'Unrecognizable lambda output');
    assert.equal(await userExists(server, poolId, 'ivan'), false, handler);
  }
});

test('managed login migrates a legacy user on the sign-in page', async () => {
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const poolId = await migratingPool(server, 'migrate');
    const web = await createWebClient(server, poolId);
    const page = await (await browser.newContext()).newPage();
    const callback = captureCallback(page);
    await page.goto(authorizeUrl(server, poolId, { client_id: web.id, scope: 'openid email', state: 'st-m' }));
    await page.getByLabel('Username').fill('lee');
    await page.getByLabel('Password', { exact: true }).fill(LEGACY_PASSWORD);
    const [redirected] = await Promise.all([callback.next(), page.getByRole('button', { name: 'Sign in' }).click()]);
    assert.equal(redirected.searchParams.get('state'), 'st-m');
    const tokens = await exchangeCode(server, poolId, { client_id: web.id, code: redirected.searchParams.get('code') ?? '' }, web.secret);
    assert.equal(tokens.status, 200);
    assert.equal(claims(tokens.body['id_token'])['email'], 'lee@example.com');
    assert.deepEqual(await migrations(server, poolId), ['UserMigration_Authentication']);
  } finally {
    await browser?.close();
  }
});

test('a migrated user is created without the pre sign-up trigger, as on AWS', async () => {
  const poolId = await migratingPool(server, 'migrate', {
    LambdaConfig: { UserMigration: functionArn('migrate'), PreSignUp: functionArn('refuse-sign-up') },
  });
  const { clientId } = await createClient(server, poolId);
  const signedIn = await server.anonymous.send(passwordAuth(clientId, 'lee', LEGACY_PASSWORD));
  assert.ok(signedIn.AuthenticationResult?.AccessToken);
  const sources = (await server.services.invocations.list(poolId)).map((r) => r.triggerSource);
  assert.deepEqual(sources, ['UserMigration_Authentication']);
});

/** A pool where a verified email or phone is a sign-in alias, with `holder` holding both verified. */
async function aliasPool(extra: Partial<CreateUserPoolCommandInput> = {}): Promise<{ poolId: string; clientId: string }> {
  const poolId = await migratingPool(server, 'migrate-choices', { AliasAttributes: ['email', 'phone_number'], ...extra });
  const { clientId } = await createClient(server, poolId);
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'holder',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'shared@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  return { poolId, clientId };
}

test('forceAliasCreation true moves a verified email alias from its holder to the migrated user', async () => {
  const { poolId, clientId } = await aliasPool();
  const signedIn = await server.anonymous.send(passwordAuth(clientId, 'newcomer', 'Old-Password-1', { force: 'true', action: 'SUPPRESS' }));
  assert.equal(claims(signedIn.AuthenticationResult?.IdToken)['cognito:username'], 'newcomer');
  const holder = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'holder' }));
  assert.equal(attribute(holder, 'email'), 'shared@example.com');
  assert.equal(attribute(holder, 'email_verified'), 'false');
  // The alias now signs the migrated user in.
  const byAlias = await server.anonymous.send(passwordAuth(clientId, 'shared@example.com', 'Old-Password-1'));
  assert.equal(claims(byAlias.AuthenticationResult?.IdToken)['cognito:username'], 'newcomer');
});

test('forceAliasCreation false or absent refuses the migration with AliasExistsException and creates nobody', async () => {
  const { poolId, clientId } = await aliasPool();
  const cases: Record<string, string>[] = [{ force: 'false' }, {}];
  for (const metadata of cases) {
    const error = await captureError(() => server.anonymous.send(passwordAuth(clientId, 'newcomer', 'Old-Password-1', metadata)));
    assert.equal(error.name, 'AliasExistsException', JSON.stringify(metadata));
    assert.equal(error.message, 'An account with the given email already exists.');
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(await userExists(server, poolId, 'newcomer'), false);
  }
  const holder = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'holder' }));
  assert.equal(attribute(holder, 'email_verified'), 'true');
});

test('without messageAction SUPPRESS the migrated user gets the welcome message, through CustomMessage_AdminCreateUser', async () => {
  const poolId = await migratingPool(server, 'migrate-choices', {
    LambdaConfig: { UserMigration: functionArn('migrate-choices'), CustomMessage: functionArn('welcome-message') },
    // The trigger's email fields need email sent through the pool's own SES identity.
    EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' },
  });
  const { clientId } = await createClient(server, poolId);
  await server.anonymous.send(passwordAuth(clientId, 'wendy', 'Old-Password-1', { mediums: 'EMAIL' }));
  const welcome = await server.lastMessage(poolId, 'wendy');
  assert.equal(welcome?.medium, 'EMAIL');
  assert.equal(welcome?.destination, 'shared@example.com');
  assert.equal(welcome?.subject, 'Welcome aboard');
  assert.match(welcome?.message ?? '', /^Hello wendy, your code is \S+$/);
  // The code is not the password the user signed in with.
  assert.doesNotMatch(welcome?.message ?? '', /Old-Password-1/);
  const sources = (await server.services.invocations.list(poolId)).map((r) => r.triggerSource);
  assert.deepEqual(sources.sort(), ['CustomMessage_AdminCreateUser', 'UserMigration_Authentication']);

  // Without desiredDeliveryMediums it goes by SMS, as AdminCreateUser's invitation does.
  await server.anonymous.send(passwordAuth(clientId, 'sam', 'Old-Password-1'));
  assert.equal((await server.lastMessage(poolId, 'sam'))?.medium, 'SMS');
  // Both mediums when both are asked for.
  await server.anonymous.send(passwordAuth(clientId, 'bo', 'Old-Password-1', { mediums: 'EMAIL,SMS' }));
  const both = await server.services.store.inbox.list({ poolId, username: 'bo', limit: 10 });
  assert.deepEqual(both.map((m) => m.medium).sort(), ['EMAIL', 'SMS']);
});

test('messageAction SUPPRESS sends nothing to the migrated user', async () => {
  const poolId = await migratingPool(server, 'migrate-choices');
  const { clientId } = await createClient(server, poolId);
  await server.anonymous.send(passwordAuth(clientId, 'quinn', 'Old-Password-1', { action: 'SUPPRESS', mediums: 'EMAIL,SMS' }));
  assert.equal(await server.lastMessage(poolId, 'quinn'), undefined);
  assert.equal(await userExists(server, poolId, 'quinn'), true);
});
