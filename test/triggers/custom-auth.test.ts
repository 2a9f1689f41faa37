import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FUNCTION_MODES, functionArn, functionsForTests, moduleFunctions } from '../support/functions.js';
import { srpClient } from '../support/srp-client.js';
import { otpChallenge, type RecordedEvent } from '../support/otp-challenge.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser } from '../api/auth-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { MAX_CUSTOM_AUTH_ROUNDS } from '../../src/auth/custom-auth.js';

/*
 * CUSTOM_AUTH driven by the define, create and verify auth challenge triggers, through the AWS
 * SDK v3 against a real listening server, with the one-time code handlers of
 * test/support/otp-challenge.ts and a few faulty ones.
 */

const otp = otpChallenge();
const sentCode = (userName: string): string => otp.sentCode(userName);
const eventsFor = (handler: string, userName: string): RecordedEvent[] => otp.events(handler, userName);

const handlers = moduleFunctions({
  ...otp.sources,
  'define-forever': `export const handler = async (event) => {
  event.response.issueTokens = false;
  event.response.failAuthentication = false;
  event.response.challengeName = 'CUSTOM_CHALLENGE';
  return event;
};
`,
  'create-huge': `export const handler = async (event) => {
  event.response.publicChallengeParameters = { question: 'the long one' };
  event.response.privateChallengeParameters = { answer: 'x'.repeat(3000) };
  return event;
};
`,
  'define-throws': `export const handler = async () => { throw new Error('Sign-in is closed for maintenance'); };`,
  'define-undecided': `export const handler = async (event) => { event.response.challengeName = 'SOMETHING_ELSE'; return event; };`,
  'create-extra-field': `export const handler = async (event) => {
  event.response.publicChallengeParameters = { question: '2 + 2' };
  event.response.privateChallengeParameters = { answer: '4' };
  event.response.issueTokens = true;
  return event;
};
`,
});

const OTP: LambdaConfigType = otp.lambdaConfig;
const CUSTOM_FLOWS = ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

const functions = functionsForTests(handlers);

async function startServer(mode: (typeof FUNCTION_MODES)[number], clock = FrozenClock.atNow()): Promise<TestServer> {
  return functions.stopAfter(await startTestServer({ functions: functions.targets(mode) }, { clock }));
}

let seq = 0;
function uniqueName(prefix = 'otp'): string {
  seq += 1;
  return `${prefix}${seq}-${process.pid}`;
}

async function otpPool(
  server: TestServer,
  extra: { PreventUserExistenceErrors?: 'ENABLED' | 'LEGACY'; LambdaConfig?: LambdaConfigType } = {},
) {
  const poolId = await createPool(server, { LambdaConfig: extra.LambdaConfig ?? OTP });
  const client = await createClient(server, poolId, {
    ExplicitAuthFlows: [...CUSTOM_FLOWS, 'ALLOW_USER_SRP_AUTH'],
    ...(extra.PreventUserExistenceErrors ? { PreventUserExistenceErrors: extra.PreventUserExistenceErrors } : {}),
  });
  return { poolId, clientId: client.clientId };
}

function startCustomAuth(clientId: string, username: string, extra: Record<string, string> = {}, metadata?: Record<string, string>) {
  return new InitiateAuthCommand({
    AuthFlow: 'CUSTOM_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, ...extra },
    ...(metadata ? { ClientMetadata: metadata } : {}),
  });
}

function answer(clientId: string, username: string, session: string | undefined, code: string, metadata?: Record<string, string>) {
  return new RespondToAuthChallengeCommand({
    ClientId: clientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: session,
    ChallengeResponses: { USERNAME: username, ANSWER: code },
    ...(metadata ? { ClientMetadata: metadata } : {}),
  });
}

function assertTokensFor(response: InitiateAuthCommandOutput, sub: string): void {
  assert.equal(response.ChallengeName, undefined);
  assert.deepEqual(response.ChallengeParameters, {});
  const result = response.AuthenticationResult;
  assert.ok(result?.AccessToken && result.IdToken && result.RefreshToken, 'ID, access and refresh tokens');
  assert.equal(decodePayload(result.IdToken)['sub'], sub);
}

async function expectError(fn: () => Promise<unknown>, name: string, message: string): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  assert.equal(error.message, message);
  assert.equal(error.$metadata?.httpStatusCode, 400);
}

for (const mode of FUNCTION_MODES) {
  test(`${mode}: InitiateAuth CUSTOM_AUTH asks the code, a wrong answer asks again, the right one signs in`, async () => {
    const server = await startServer(mode);
    const { poolId, clientId } = await otpPool(server);
    const username = uniqueName(mode);
    const user = await putUser(server, poolId, { username, attributes: { email: `${username}@example.com` } });

    const started = await server.anonymous.send(startCustomAuth(clientId, username));
    assert.equal(started.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.deepEqual(started.ChallengeParameters, { email: `${username}@example.com`, USERNAME: username });
    assert.ok(started.Session);

    const wrong = await server.anonymous.send(answer(clientId, username, started.Session, '000000'));
    assert.equal(wrong.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.ok(wrong.Session && wrong.Session !== started.Session, 'a new session for the next round');
    // Each session takes one answer.
    await expectError(
      () => server.anonymous.send(answer(clientId, username, started.Session, sentCode(username))),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );

    const signedIn = await server.anonymous.send(answer(clientId, username, wrong.Session, sentCode(username)));
    assertTokensFor(signedIn, user.sub);
    assert.deepEqual(
      eventsFor('define-auth-challenge', username).map((e) => e.request.session),
      [
        [],
        [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: `CODE-${sentCode(username)}` }],
        [
          { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: `CODE-${sentCode(username)}` },
          { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: `CODE-${sentCode(username)}` },
        ],
      ],
    );
  });
}

test('AdminInitiateAuth and AdminRespondToAuthChallenge run the same custom sign-in', async () => {
  const server = await startServer('module');
  const { poolId, clientId } = await otpPool(server);
  const username = uniqueName('admin');
  const user = await putUser(server, poolId, { username, attributes: { email: `${username}@example.com` } });
  const started = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: username },
    }),
  );
  assert.equal(started.ChallengeName, 'CUSTOM_CHALLENGE');
  const done = await server.admin.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: sentCode(username) },
    }),
  );
  assertTokensFor(done, user.sub);
});

test('the events carry the user, the history, and only RespondToAuthChallenge’s ClientMetadata', async () => {
  const server = await startServer('module');
  const { poolId, clientId } = await otpPool(server);
  const username = uniqueName('events');
  await putUser(server, poolId, { username, attributes: { email: `${username}@example.com` } });
  const started = await server.anonymous.send(startCustomAuth(clientId, username, {}, { step: 'initiate' }));
  await server.anonymous.send(answer(clientId, username, started.Session, sentCode(username), { step: 'respond' }));

  const [firstDefine, secondDefine] = eventsFor('define-auth-challenge', username);
  const [firstCreate] = eventsFor('create-auth-challenge', username);
  const [verify] = eventsFor('verify-auth-challenge-response', username);
  assert.equal(firstDefine?.['triggerSource'], 'DefineAuthChallenge_Authentication');
  assert.deepEqual(firstDefine?.['callerContext'], { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId });
  assert.equal(firstDefine?.['userPoolId'], poolId);
  const attributes = firstDefine?.request.userAttributes ?? {};
  assert.equal(attributes['email'], `${username}@example.com`);
  assert.equal(attributes['cognito:user_status'], 'CONFIRMED');
  assert.ok(attributes['sub']);
  // InitiateAuth's ClientMetadata does not reach the challenge triggers; userNotFound only when existence errors are hidden.
  assert.deepEqual(Object.keys(firstDefine?.request ?? {}).sort(), ['session', 'userAttributes']);
  assert.deepEqual(firstDefine?.['response'], { challengeName: null, issueTokens: null, failAuthentication: null });
  assert.equal(firstCreate?.['triggerSource'], 'CreateAuthChallenge_Authentication');
  assert.equal(firstCreate?.request.challengeName, 'CUSTOM_CHALLENGE');
  assert.equal(firstCreate?.request.clientMetadata, undefined);
  assert.deepEqual(firstCreate?.['response'], {
    publicChallengeParameters: null,
    privateChallengeParameters: null,
    challengeMetadata: null,
  });

  assert.equal(verify?.['triggerSource'], 'VerifyAuthChallengeResponse_Authentication');
  assert.deepEqual(verify?.request.privateChallengeParameters, { secretLoginCode: sentCode(username) });
  assert.equal(verify?.request.challengeAnswer, sentCode(username));
  assert.deepEqual(verify?.request.clientMetadata, { step: 'respond' });
  assert.deepEqual(verify?.['response'], { answerCorrect: null });
  assert.deepEqual(secondDefine?.request.clientMetadata, { step: 'respond' });
});

test('SRP first: define sees SRP_A, then PASSWORD_VERIFIER, then the custom round', async () => {
  const server = await startServer('module');
  const { poolId, clientId } = await otpPool(server);
  const username = uniqueName('srp');
  const user = await putUser(server, poolId, { username, attributes: { email: `${username}@example.com` } });
  const srp = srpClient(poolId);

  const started = await server.anonymous.send(startCustomAuth(clientId, username, { SRP_A: srp.srpA, CHALLENGE_NAME: 'SRP_A' }));
  assert.equal(started.ChallengeName, 'PASSWORD_VERIFIER');
  assert.equal(started.ChallengeParameters?.['USER_ID_FOR_SRP'], username);
  const params = started.ChallengeParameters!;
  const now = server.services.clock.now();

  // A wrong password ends the sign-in as USER_SRP_AUTH's does.
  const wrongSrp = srpClient(poolId);
  const wrongStart = await server.anonymous.send(startCustomAuth(clientId, username, { SRP_A: wrongSrp.srpA, CHALLENGE_NAME: 'SRP_A' }));
  await expectError(
    () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: { USERNAME: username, ...wrongSrp.respond(wrongStart.ChallengeParameters!, 'Wrong-Horse-1', now) },
        }),
      ),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );

  const proven = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: { USERNAME: username, ...srp.respond(params, PASSWORD, now) },
      ClientMetadata: { step: 'password' },
    }),
  );
  assert.equal(proven.ChallengeName, 'CUSTOM_CHALLENGE');
  const done = await server.anonymous.send(answer(clientId, username, proven.Session, sentCode(username)));
  assertTokensFor(done, user.sub);

  const sessions = eventsFor('define-auth-challenge', username).map((e) => e.request.session);
  const srpA = { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null };
  const verifier = { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null };
  assert.deepEqual(sessions, [
    [srpA],
    [srpA], // the wrong password's start
    [srpA, verifier],
    [srpA, verifier, { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: `CODE-${sentCode(username)}` }],
  ]);
  assert.deepEqual(eventsFor('create-auth-challenge', username)[0]?.request.clientMetadata, { step: 'password' });
});

test('a DEVICE_KEY sent with the answer, as Amplify sends it, is the device the sign-in names', async () => {
  const server = await startServer('module');
  const poolId = await createPool(server, {
    LambdaConfig: OTP,
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
  });
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: [...CUSTOM_FLOWS] });
  const username = uniqueName('device');
  await putUser(server, poolId, { username });
  const asked = await server.anonymous.send(startCustomAuth(clientId, username));
  const withDevice = new RespondToAuthChallengeCommand({
    ClientId: clientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: asked.Session,
    ChallengeResponses: { USERNAME: username, ANSWER: sentCode(username), DEVICE_KEY: 'us-east-1_00000000-0000-4000-8000-000000000000' },
  });
  // The device was never remembered, so the answer is refused as an unknown device is.
  await expectError(() => server.anonymous.send(withDevice), 'ResourceNotFoundException', 'Device does not exist.');
});

test('three wrong codes fail the sign-in as define decides', async () => {
  const server = await startServer('module');
  const { poolId, clientId } = await otpPool(server);
  const username = uniqueName('wrong');
  await putUser(server, poolId, { username });
  let session = (await server.anonymous.send(startCustomAuth(clientId, username))).Session;
  for (let round = 1; round < 3; round += 1) {
    const next = await server.anonymous.send(answer(clientId, username, session, 'nope'));
    assert.equal(next.ChallengeName, 'CUSTOM_CHALLENGE', `round ${round} asks again`);
    session = next.Session;
  }
  await expectError(
    () => server.anonymous.send(answer(clientId, username, session, 'nope')),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
});

test(`a define trigger that never decides is stopped after ${MAX_CUSTOM_AUTH_ROUNDS} rounds`, async () => {
  const server = await startServer('module');
  const { poolId, clientId } = await otpPool(server, { LambdaConfig: { ...OTP, DefineAuthChallenge: functionArn('define-forever') } });
  const username = uniqueName('forever');
  await putUser(server, poolId, { username });
  let session = (await server.anonymous.send(startCustomAuth(clientId, username))).Session;
  for (let round = 1; round < MAX_CUSTOM_AUTH_ROUNDS; round += 1) {
    const next = await server.anonymous.send(answer(clientId, username, session, 'nope'));
    assert.equal(next.ChallengeName, 'CUSTOM_CHALLENGE', `round ${round} asks again`);
    session = next.Session;
    // The API takes back a Session of at most 2048 characters, however long the history grows.
    assert.ok(session && session.length <= 2048, `round ${round}: a Session of ${session?.length} characters`);
  }
  await expectError(
    () => server.anonymous.send(answer(clientId, username, session, 'nope')),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
});

test('answers that do not fit the session, or name no session, are refused with Cognito’s errors', async () => {
  const server = await startServer('module');
  const { poolId, clientId } = await otpPool(server);
  const username = uniqueName('bad');
  const other = uniqueName('other');
  await putUser(server, poolId, { username });
  await putUser(server, poolId, { username: other });
  const started = await server.anonymous.send(startCustomAuth(clientId, username));
  const respond = (responses: Record<string, string>, session: string | undefined) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: session,
        ChallengeResponses: responses,
      }),
    );
  await expectError(
    () => respond({ USERNAME: username }, started.Session),
    'InvalidParameterException',
    'Missing required parameter ANSWER',
  );
  await expectError(() => respond({ ANSWER: '1' }, started.Session), 'InvalidParameterException', 'Missing required parameter USERNAME');
  await expectError(
    () => respond({ USERNAME: username, ANSWER: '1' }, undefined),
    'NotAuthorizedException',
    'Invalid session for the user.',
  );
  await expectError(
    () => respond({ USERNAME: username, ANSWER: '1' }, 'x'.repeat(40)),
    'NotAuthorizedException',
    'Invalid session for the user.',
  );
  await expectError(
    () => respond({ USERNAME: other, ANSWER: '1' }, started.Session),
    'NotAuthorizedException',
    'Invalid session for the user.',
  );
  await expectError(
    () => server.anonymous.send(startCustomAuth(clientId, username, { CHALLENGE_NAME: 'SRP_A' })),
    'InvalidParameterException',
    'Missing required parameter SRP_A',
  );
  // None of those spent the session: the right code still signs in.
  const done = await server.anonymous.send(answer(clientId, username, started.Session, sentCode(username)));
  assert.ok(done.AuthenticationResult?.AccessToken);

  const huge = await otpPool(server, { LambdaConfig: { ...OTP, CreateAuthChallenge: functionArn('create-huge') } });
  await putUser(server, huge.poolId, { username });
  await expectError(
    () => server.anonymous.send(startCustomAuth(huge.clientId, username)),
    'InvalidLambdaResponseException',
    'Unrecognizable lambda output',
  );
});

test('an expired session says so', async () => {
  const clock = FrozenClock.atNow();
  const server = await startServer('module', clock);
  const { poolId, clientId } = await otpPool(server);
  const username = uniqueName('expired');
  await putUser(server, poolId, { username });
  const started = await server.anonymous.send(startCustomAuth(clientId, username));
  // AuthSessionValidity defaults to three minutes.
  await clock.travel(3 * 60_000 + 1, () =>
    expectError(
      () => server.anonymous.send(answer(clientId, username, started.Session, sentCode(username))),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    ),
  );
});

test('a name that matches no user: UserNotFoundException, or the triggers run with userNotFound when existence errors are hidden', async () => {
  const server = await startServer('module');
  const legacy = await otpPool(server, { PreventUserExistenceErrors: 'LEGACY' });
  await expectError(
    () => server.anonymous.send(startCustomAuth(legacy.clientId, 'nobody')),
    'UserNotFoundException',
    'User does not exist.',
  );

  const hidden = await otpPool(server, { PreventUserExistenceErrors: 'ENABLED' });
  const ghost = uniqueName('ghost');
  const started = await server.anonymous.send(startCustomAuth(hidden.clientId, ghost));
  assert.equal(started.ChallengeName, 'CUSTOM_CHALLENGE');
  assert.deepEqual(started.ChallengeParameters, { email: '', USERNAME: ghost });
  const define = eventsFor('define-auth-challenge', ghost)[0];
  assert.equal(define?.request.userNotFound, true);
  assert.deepEqual(define?.request.userAttributes, {});
  // Even the right code signs no one in.
  await expectError(
    () => server.anonymous.send(answer(hidden.clientId, ghost, started.Session, sentCode(ghost))),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );

  const username = uniqueName('known');
  await putUser(server, hidden.poolId, { username });
  await server.anonymous.send(startCustomAuth(hidden.clientId, username));
  assert.equal(eventsFor('define-auth-challenge', username)[0]?.request.userNotFound, false);
});

test('failing or misbehaving handlers give Cognito’s exceptions', async () => {
  const server = await startServer('module');
  const username = uniqueName('faulty');
  const cases: Array<[LambdaConfigType, string, string]> = [
    [
      { ...OTP, DefineAuthChallenge: functionArn('define-throws') },
      'UserLambdaValidationException',
      'DefineAuthChallenge failed with error Sign-in is closed for maintenance.',
    ],
    [{ ...OTP, DefineAuthChallenge: functionArn('define-undecided') }, 'InvalidLambdaResponseException', 'Unrecognizable lambda output'],
    [{ ...OTP, CreateAuthChallenge: functionArn('create-extra-field') }, 'InvalidLambdaResponseException', 'Unrecognizable lambda output'],
    [{}, 'InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.'],
  ];
  for (const [LambdaConfig, name, message] of cases) {
    const app = await otpPool(server, { LambdaConfig });
    await putUser(server, app.poolId, { username });
    await expectError(() => server.anonymous.send(startCustomAuth(app.clientId, username)), name, message);
  }
});

test('a disabled user is refused before any trigger runs', async () => {
  const server = await startServer('module');
  const { poolId, clientId } = await otpPool(server);
  const username = uniqueName('disabled');
  await putUser(server, poolId, { username });
  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
  await expectError(() => server.anonymous.send(startCustomAuth(clientId, username)), 'NotAuthorizedException', 'User is disabled.');
  assert.deepEqual(eventsFor('define-auth-challenge', username), []);
});
