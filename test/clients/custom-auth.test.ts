import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { moduleFunctions } from '../support/functions.js';
import { otpChallenge } from '../support/otp-challenge.js';
import { PASSWORD, createClient, createPool, putUser } from '../api/auth-fixtures.js';

/*
 * CUSTOM_AUTH through the JavaScript clients apps use, against a real listening Cognate with the
 * one-time code handlers of test/support/otp-challenge.ts (module mode):
 * amazon-cognito-identity-js's `authenticateUser` with `setAuthenticationFlowType('CUSTOM_AUTH')`
 * (SRP first, then the `customChallenge` callback and `sendCustomChallengeAnswer`) and its
 * password-less `initiateAuth`; Amplify v6's `signIn` with CUSTOM_WITHOUT_SRP and CUSTOM_WITH_SRP,
 * then `confirmSignIn`. Both keep their tokens in their default in-memory stores (Node has no
 * localStorage); Amplify keeps module state, so this file runs in a process of its own.
 */

const otp = otpChallenge();
let server: TestServer;
let poolId: string;
let clientId: string;

/** Every call the clients make, as `Operation:<AuthFlow or ChallengeName>`. */
const calls: string[] = [];
const realFetch = globalThis.fetch;

before(async () => {
  server = await startTestServer({ functions: moduleFunctions(otp.sources) });
  poolId = await createPool(server, { LambdaConfig: otp.lambdaConfig });
  ({ clientId } = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = new Headers(init?.headers).get('X-Amz-Target');
    if (target) {
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { ChallengeName?: string; AuthFlow?: string }) : {};
      calls.push(`${target.split('.').pop()!}:${body.ChallengeName ?? body.AuthFlow ?? ''}`);
    }
    return realFetch(input, init);
  };
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });
});
after(async () => {
  globalThis.fetch = realFetch;
  await server.stop();
});
beforeEach(async () => {
  await signOut().catch(() => undefined);
  calls.length = 0;
});

let seq = 0;
async function newUser(inPool = poolId): Promise<{ username: string; sub: string }> {
  seq += 1;
  const username = `client${seq}`;
  const user = await putUser(server, inPool, { username, attributes: { email: `${username}@example.com` } });
  return { username, sub: user.sub };
}

/**
 * Signs in with identity-js the way an app wires the callbacks: each `customChallenge` answers
 * with the next of `answers` (a code, or a function of the user name that gives one).
 */
function identityJsSignIn(
  username: string,
  answers: ReadonlyArray<string | ((username: string) => string)>,
  start: 'authenticateUser' | 'initiateAuth',
  app: { poolId: string; clientId: string } = { poolId, clientId },
): Promise<{ session: CognitoUserSession; challenges: Record<string, string>[] }> {
  const pool = new CognitoUserPool({ UserPoolId: app.poolId, ClientId: app.clientId, endpoint: server.url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  const challenges: Record<string, string>[] = [];
  return new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: (session: CognitoUserSession) => resolve({ session, challenges }),
      onFailure: reject,
      customChallenge(parameters: Record<string, string>) {
        challenges.push(parameters);
        const next = answers[challenges.length - 1];
        if (next === undefined) return reject(new Error(`no answer for challenge ${challenges.length}`));
        user.sendCustomChallengeAnswer(typeof next === 'string' ? next : next(username), callbacks);
      },
    };
    const details = new AuthenticationDetails({ Username: username, Password: PASSWORD });
    if (start === 'authenticateUser') user.authenticateUser(details, callbacks);
    else user.initiateAuth(details, callbacks);
  });
}

test('identity-js authenticateUser with CUSTOM_AUTH: SRP first, then customChallenge and sendCustomChallengeAnswer', async () => {
  const { username, sub } = await newUser();
  const { session, challenges } = await identityJsSignIn(username, ['000000', (name) => otp.sentCode(name)], 'authenticateUser');
  assert.deepEqual(calls, [
    'InitiateAuth:CUSTOM_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:CUSTOM_CHALLENGE',
    'RespondToAuthChallenge:CUSTOM_CHALLENGE',
  ]);
  assert.deepEqual(challenges, [
    { email: `${username}@example.com`, USERNAME: username },
    { email: `${username}@example.com`, USERNAME: username },
  ]);
  assert.ok(session.isValid());
  assert.equal(session.getIdToken().payload['sub'], sub);
  assert.deepEqual(
    otp
      .events('define-auth-challenge', username)
      .map((e) => e.request.session?.map((round) => (round as { challengeName: string }).challengeName)),
    [
      ['SRP_A'],
      ['SRP_A', 'PASSWORD_VERIFIER'],
      ['SRP_A', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE'],
      ['SRP_A', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE', 'CUSTOM_CHALLENGE'],
    ],
  );
});

test('identity-js initiateAuth: the custom challenge alone, no password', async () => {
  const { username, sub } = await newUser();
  const { session } = await identityJsSignIn(username, [(name) => otp.sentCode(name)], 'initiateAuth');
  assert.deepEqual(calls, ['InitiateAuth:CUSTOM_AUTH', 'RespondToAuthChallenge:CUSTOM_CHALLENGE']);
  assert.equal(session.getAccessToken().payload['sub'], sub);
});

test('identity-js: a wrong password fails before any custom challenge', async () => {
  const { username } = await newUser();
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  const error = await new Promise<Error & { code?: string }>((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: 'Wrong-Horse-1' }), {
      onSuccess: () => reject(new Error('signed in with a wrong password')),
      onFailure: resolve,
      customChallenge: () => reject(new Error('asked a custom challenge after a wrong password')),
    }),
  );
  assert.equal(error.code, 'NotAuthorizedException');
  assert.equal(error.message, 'Incorrect username or password.');
});

test('identity-js: a remembered device is confirmed after a custom sign-in and proven after the next one', async () => {
  const devicesPool = await createPool(server, {
    LambdaConfig: otp.lambdaConfig,
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
  });
  const app = {
    poolId: devicesPool,
    clientId: (await createClient(server, devicesPool, { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).clientId,
  };
  const { username } = await newUser(devicesPool);
  const first = await identityJsSignIn(username, [(name) => otp.sentCode(name)], 'authenticateUser', app);
  const deviceKey = first.session.getAccessToken().payload['device_key'] as string | undefined;
  assert.ok(deviceKey, 'the first sign-in gets a new device');
  assert.equal(calls.at(-1), 'ConfirmDevice:');

  calls.length = 0;
  const second = await identityJsSignIn(username, [(name) => otp.sentCode(name)], 'authenticateUser', app);
  assert.deepEqual(calls, [
    'InitiateAuth:CUSTOM_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:CUSTOM_CHALLENGE',
    'RespondToAuthChallenge:DEVICE_SRP_AUTH',
    'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
  ]);
  assert.equal(second.session.getAccessToken().payload['device_key'], deviceKey);
});

test('Amplify signIn with CUSTOM_WITHOUT_SRP, then confirmSignIn (a wrong code, then the right one)', async () => {
  const { username, sub } = await newUser();
  const started = await signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
  assert.deepEqual(started, {
    isSignedIn: false,
    nextStep: {
      signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE',
      additionalInfo: { email: `${username}@example.com`, USERNAME: username },
    },
  });
  const retry = await confirmSignIn({ challengeResponse: '000000' });
  assert.equal(retry.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
  const done = await confirmSignIn({ challengeResponse: otp.sentCode(username) });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const current = await getCurrentUser();
  assert.equal(current.userId, sub);
  assert.deepEqual(current.signInDetails, { loginId: username, authFlowType: 'CUSTOM_WITHOUT_SRP' });
  assert.deepEqual(calls, [
    'InitiateAuth:CUSTOM_AUTH',
    'RespondToAuthChallenge:CUSTOM_CHALLENGE',
    'RespondToAuthChallenge:CUSTOM_CHALLENGE',
  ]);
});

test('Amplify signIn with CUSTOM_WITH_SRP: the password, then the code', async () => {
  const { username, sub } = await newUser();
  const started = await signIn({ username, password: PASSWORD, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
  assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
  const done = await confirmSignIn({ challengeResponse: otp.sentCode(username) });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const tokens = (await fetchAuthSession()).tokens;
  assert.equal(tokens?.idToken?.payload['sub'], sub);
  assert.deepEqual(calls, [
    'InitiateAuth:CUSTOM_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:CUSTOM_CHALLENGE',
  ]);

  await signOut();
  const wrong = await captureError(() => signIn({ username, password: 'Wrong-Horse-1', options: { authFlowType: 'CUSTOM_WITH_SRP' } }));
  assert.equal(wrong.name, 'NotAuthorizedException');
  assert.equal(wrong.message, 'Incorrect username or password.');
});
