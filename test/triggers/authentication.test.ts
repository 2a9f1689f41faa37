import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CreateUserPoolCommandInput,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { FUNCTION_MODES, functionArn, moduleFunctions, serveFunctions, type FunctionServer } from '../support/functions.js';
import { srpClient } from '../support/srp-client.js';
import { PASSWORD, createClient, createPool, putUser } from '../api/auth-fixtures.js';

/*
 * Pre and post authentication triggers through the wire (AWS SDK v3), on every sign-in path.
 * Handlers are written as AWS's developer guide writes them; `reveal` refuses with the event it
 * got, so that a test in module mode can read the event from the error the client receives.
 */
const handlers = moduleFunctions({
  'pre-auth': `export const handler = async (event) => {
    if (event.request.userAttributes['custom:blocked'] === 'yes') throw new Error('Sign-in is blocked for this account');
    return event;
  };`,
  'post-auth': `export const handler = async (event) => {
    console.log('Authentication successful', event.userName);
    return event;
  };`,
  'post-auth-fails': `export const handler = async () => { throw new Error('Audit store unavailable'); };`,
  reveal: `export const handler = async (event) => {
    throw new Error(JSON.stringify({ userName: event.userName, triggerSource: event.triggerSource, callerContext: event.callerContext, request: event.request }));
  };`,
});
let functions: FunctionServer;
let server: TestServer;
const servers: TestServer[] = [];
before(async () => {
  functions = await serveFunctions(handlers);
  server = await startTestServer({ functions: functions.targets('module') });
  servers.push(server);
});
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await functions.close();
});

const CUSTOM_BLOCKED = { Name: 'blocked', AttributeDataType: 'String', Mutable: true } as const;

async function poolWith(
  target: TestServer,
  lambdaConfig: LambdaConfigType,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  return createPool(target, { LambdaConfig: lambdaConfig, Schema: [CUSTOM_BLOCKED], ...input });
}

/** The trigger sources the pool's functions were invoked for, oldest first. */
async function invoked(target: TestServer, poolId: string): Promise<string[]> {
  return (await target.services.invocations.list(poolId)).map((r) => r.triggerSource ?? '').reverse();
}

/** The event a `reveal` handler refused with, from the UserLambdaValidationException's message. */
function revealed(error: { name: string; message: string }, trigger: string): Record<string, unknown> {
  assert.equal(error.name, 'UserLambdaValidationException');
  const prefix = `${trigger} failed with error `;
  assert.ok(error.message.startsWith(prefix) && error.message.endsWith('.'), error.message);
  return JSON.parse(error.message.slice(prefix.length, -1)) as Record<string, unknown>;
}

function passwordAuth(clientId: string, username: string, password = PASSWORD, metadata?: Record<string, string>): InitiateAuthCommand {
  return new InitiateAuthCommand({
    ClientId: clientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD: password },
    ...(metadata ? { ClientMetadata: metadata } : {}),
  });
}

for (const mode of FUNCTION_MODES) {
  test(`${mode}: pre and post authentication run around a password sign-in, and a refusal gives no tokens`, async () => {
    const target = mode === 'module' ? server : await startTestServer({ functions: functions.targets(mode) });
    if (target !== server) servers.push(target);
    const poolId = await poolWith(target, { PreAuthentication: functionArn('pre-auth'), PostAuthentication: functionArn('post-auth') });
    const { clientId } = await createClient(target, poolId);
    await putUser(target, poolId, { username: 'alice', attributes: { email: 'alice@example.com' } });
    await putUser(target, poolId, { username: 'mallory', attributes: { 'custom:blocked': 'yes' } });

    const signedIn = await target.anonymous.send(passwordAuth(clientId, 'alice'));
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
    assert.deepEqual(await invoked(target, poolId), ['PreAuthentication_Authentication', 'PostAuthentication_Authentication']);

    const refused = await captureError(() => target.anonymous.send(passwordAuth(clientId, 'mallory')));
    assert.equal(refused.name, 'UserLambdaValidationException');
    assert.equal(refused.message, 'PreAuthentication failed with error Sign-in is blocked for this account.');
    assert.equal(refused.$metadata?.httpStatusCode, 400);
    // No post authentication, so no tokens, for the refused sign-in.
    assert.deepEqual((await invoked(target, poolId)).slice(2), ['PreAuthentication_Authentication']);

    if (mode !== 'module') {
      const [pre, post] = [functions.events('pre-auth').at(-2), functions.events('post-auth').at(-1)];
      assert.equal(pre?.['triggerSource'], 'PreAuthentication_Authentication');
      assert.equal(pre?.['userName'], 'alice');
      assert.deepEqual(pre?.['callerContext'], { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId });
      const preAttributes = (pre?.['request'] as { userAttributes: Record<string, string> }).userAttributes;
      assert.equal(preAttributes['email'], 'alice@example.com');
      assert.equal(preAttributes['cognito:user_status'], 'CONFIRMED');
      assert.deepEqual(post?.['request'], { userAttributes: preAttributes, newDeviceUsed: false });
      assert.deepEqual(post?.['response'], {});
    }
  });
}

test('pre authentication runs before the password is checked, with ClientMetadata as validationData', async () => {
  const poolId = await poolWith(server, { PreAuthentication: functionArn('reveal') });
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: 'bob', attributes: { email: 'bob@example.com', email_verified: 'true' } });

  // A wrong password still reaches the trigger: it runs before the credentials are checked.
  const error = await captureError(() => server.anonymous.send(passwordAuth(clientId, 'bob', 'Wrong-password-1', { device: 'kiosk-7' })));
  const event = revealed(error, 'PreAuthentication');
  assert.equal(event['userName'], 'bob');
  assert.equal(event['triggerSource'], 'PreAuthentication_Authentication');
  assert.deepEqual(event['request'], {
    userAttributes: { sub: user.sub, email: 'bob@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
    validationData: { device: 'kiosk-7' },
  });
});

test('an unknown name reaches pre authentication (userNotFound) only while user-existence errors are hidden', async () => {
  const poolId = await poolWith(server, { PreAuthentication: functionArn('reveal') });
  const legacy = await createClient(server, poolId, { PreventUserExistenceErrors: 'LEGACY' });
  const hiding = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });

  const notFound = await captureError(() => server.anonymous.send(passwordAuth(legacy.clientId, 'nobody')));
  assert.equal(notFound.name, 'UserNotFoundException');
  assert.deepEqual(await invoked(server, poolId), []);

  const event = revealed(await captureError(() => server.anonymous.send(passwordAuth(hiding.clientId, 'nobody'))), 'PreAuthentication');
  assert.equal(event['userName'], 'nobody');
  assert.deepEqual(event['request'], { userAttributes: {}, userNotFound: true });

  // SRP's decoy challenge hears of it the same way.
  const srp = srpClient(poolId);
  const viaSrp = revealed(
    await captureError(() =>
      server.anonymous.send(
        new InitiateAuthCommand({
          ClientId: hiding.clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: 'nobody', SRP_A: srp.srpA },
        }),
      ),
    ),
    'PreAuthentication',
  );
  assert.deepEqual(viaSrp['request'], { userAttributes: {}, userNotFound: true });
});

test('every sign-in path runs both triggers once; refreshing tokens runs neither', async () => {
  const poolId = await poolWith(server, { PreAuthentication: functionArn('pre-auth'), PostAuthentication: functionArn('post-auth') });
  const { clientId } = await createClient(server, poolId, {
    ExplicitAuthFlows: [
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_USER_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ],
  });
  await putUser(server, poolId, { username: 'carol' });
  const both = ['PreAuthentication_Authentication', 'PostAuthentication_Authentication'];
  const expectBoth = async (path: string, signIn: () => Promise<string | undefined>): Promise<string | undefined> => {
    const before = (await invoked(server, poolId)).length;
    const token = await signIn();
    assert.ok(token, `${path} signs in`);
    assert.deepEqual((await invoked(server, poolId)).slice(before), both, path);
    return token;
  };

  await expectBoth('ADMIN_USER_PASSWORD_AUTH', async () => {
    const out = await server.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'carol', PASSWORD },
      }),
    );
    return out.AuthenticationResult?.AccessToken;
  });

  const srpSignIn = async (start: InitiateAuthCommand, srp: ReturnType<typeof srpClient>): Promise<string | undefined> => {
    const challenge = await server.anonymous.send(start);
    assert.equal(challenge.ChallengeName, 'PASSWORD_VERIFIER');
    const params = challenge.ChallengeParameters ?? {};
    const out = await server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: { USERNAME: params['USERNAME'] ?? '', ...srp.respond(params, PASSWORD, server.services.clock.now()) },
      }),
    );
    return out.AuthenticationResult?.AccessToken;
  };
  await expectBoth('USER_SRP_AUTH', () => {
    const srp = srpClient(poolId);
    return srpSignIn(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'carol', SRP_A: srp.srpA } }),
      srp,
    );
  });
  await expectBoth('USER_AUTH PASSWORD_SRP', () => {
    const srp = srpClient(poolId);
    return srpSignIn(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: 'carol', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srp.srpA },
      }),
      srp,
    );
  });
  await expectBoth('USER_AUTH PASSWORD (chosen in SELECT_CHALLENGE)', async () => {
    const choice = await server.anonymous.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'carol' } }),
    );
    assert.equal(choice.ChallengeName, 'SELECT_CHALLENGE');
    const out = await server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: choice.Session,
        ChallengeResponses: { USERNAME: 'carol', ANSWER: 'PASSWORD', PASSWORD },
      }),
    );
    return out.AuthenticationResult?.AccessToken;
  });

  const first = await server.anonymous.send(passwordAuth(clientId, 'carol'));
  const before = (await invoked(server, poolId)).length;
  const refreshed = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: first.AuthenticationResult?.RefreshToken ?? '' },
    }),
  );
  assert.ok(refreshed.AuthenticationResult?.AccessToken);
  assert.deepEqual((await invoked(server, poolId)).slice(before), []);
});

test('post authentication runs after NEW_PASSWORD_REQUIRED is answered, not before', async () => {
  const poolId = await poolWith(server, { PreAuthentication: functionArn('pre-auth'), PostAuthentication: functionArn('post-auth') });
  const { clientId } = await createClient(server, poolId);
  await server.admin.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dave', TemporaryPassword: 'Temporary-Pass-1', MessageAction: 'SUPPRESS' }),
  );
  const challenge = await server.anonymous.send(passwordAuth(clientId, 'dave', 'Temporary-Pass-1'));
  assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  assert.deepEqual(await invoked(server, poolId), ['PreAuthentication_Authentication']);
  const out = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: 'dave', NEW_PASSWORD: PASSWORD },
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken);
  assert.deepEqual(await invoked(server, poolId), ['PreAuthentication_Authentication', 'PostAuthentication_Authentication']);
});

test('post authentication: a throw fails the sign-in; the event says whether the device is new, without InitiateAuth’s ClientMetadata', async () => {
  const failing = await poolWith(server, { PostAuthentication: functionArn('post-auth-fails') });
  const failingClient = await createClient(server, failing);
  await putUser(server, failing, { username: 'erin' });
  const error = await captureError(() => server.anonymous.send(passwordAuth(failingClient.clientId, 'erin')));
  assert.equal(error.name, 'UserLambdaValidationException');
  assert.equal(error.message, 'PostAuthentication failed with error Audit store unavailable.');

  const tracking = await poolWith(
    server,
    { PostAuthentication: functionArn('reveal') },
    { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true } },
  );
  const trackingClient = await createClient(server, tracking);
  const user = await putUser(server, tracking, { username: 'frank' });
  const event = revealed(
    await captureError(() => server.anonymous.send(passwordAuth(trackingClient.clientId, 'frank', PASSWORD, { app: 'tests' }))),
    'PostAuthentication',
  );
  assert.equal(event['triggerSource'], 'PostAuthentication_Authentication');
  assert.deepEqual(event['request'], {
    userAttributes: { sub: user.sub, 'cognito:user_status': 'CONFIRMED' },
    newDeviceUsed: true,
  });
  // The refused sign-in left no device behind.
  assert.deepEqual(await server.services.store.devices.listForUser(tracking, user.usernameKey, 10), []);
});
