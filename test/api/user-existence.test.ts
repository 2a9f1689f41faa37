import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { srpClient } from '../support/srp-client.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { createClient, createPool, putUser, type TestClient } from './auth-fixtures.js';

/*
 * PreventUserExistenceErrors=ENABLED: every answer for a name that matches no user must look like
 * the answer for a user who exists, in error type, message and status, and in the members and
 * lengths of a success, also over repeated attempts (lockout, rate limits, burnt codes).
 *
 * Each test takes a real user and an unknown name of the same length (names show in some answers),
 * sends both the same requests, and compares what comes back.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
 */

const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let client: TestClient;

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  client = await createClient(server, poolId, {
    PreventUserExistenceErrors: 'ENABLED',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
});
after(() => server.stop());

let counter = 100;
/** A real user's name and an unknown one of the same length. */
function names(): { real: string; unknown: string } {
  counter += 1;
  return { real: `real-${counter}`, unknown: `none-${counter}` };
}

async function realUser(username: string, status: 'CONFIRMED' | 'UNCONFIRMED' = 'CONFIRMED'): Promise<void> {
  await putUser(server, poolId, { username, status, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
}

/** An answer reduced to what must not tell the two names apart: error type, message and status, or the shape of a success. */
async function shapeOf(send: () => Promise<object>): Promise<unknown> {
  try {
    const answer = await send();
    const { $metadata: _metadata, ...members } = answer as Record<string, unknown>;
    return { ok: shape(members) };
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { error: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
}

/** Member names with the lengths of their string values, all the way down. */
function shape(value: unknown): unknown {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value;
}

/** Sends `request(name)` `times` times for each name, and compares the sequences of answers. */
async function assertAlike(
  { real, unknown }: { real: string; unknown: string },
  times: number,
  request: (name: string) => Promise<object>,
): Promise<unknown[]> {
  const answers = async (name: string): Promise<unknown[]> => {
    const seen: unknown[] = [];
    for (let i = 0; i < times; i++) seen.push(await shapeOf(() => request(name)));
    return seen;
  };
  const forReal = await answers(real);
  assert.deepEqual(await answers(unknown), forReal);
  return forReal;
}

function srpChallenge(username: string, srpA: string, flow: 'USER_SRP_AUTH' | 'USER_AUTH' = 'USER_SRP_AUTH') {
  const parameters: Record<string, string> = { USERNAME: username, SRP_A: srpA };
  if (flow === 'USER_AUTH') parameters['PREFERRED_CHALLENGE'] = 'PASSWORD_SRP';
  return server.anonymous.send(new InitiateAuthCommand({ AuthFlow: flow, ClientId: client.clientId, AuthParameters: parameters }));
}

test('USER_SRP_AUTH and USER_AUTH PASSWORD_SRP: the PASSWORD_VERIFIER challenge has the same members and lengths', async () => {
  const pair = names();
  await realUser(pair.real);
  for (const flow of ['USER_SRP_AUTH', 'USER_AUTH'] as const) {
    const seen = await assertAlike(pair, 8, (name) => srpChallenge(name, srpClient(poolId).srpA, flow));
    assert.deepEqual(Object.keys((seen[0] as { ok: { ChallengeParameters: object } }).ok.ChallengeParameters).sort(), [
      'SALT',
      'SECRET_BLOCK',
      'SRP_B',
      'USERNAME',
      'USER_ID_FOR_SRP',
    ]);
  }
});

test('PASSWORD_VERIFIER: wrong proofs answer alike, through the lockout', async () => {
  const pair = names();
  await realUser(pair.real);
  const seen = await assertAlike(pair, 7, async (name) => {
    const srp = srpClient(poolId);
    const challenge = await srpChallenge(name, srp.srpA);
    return server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: client.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: srp.respond(challenge.ChallengeParameters!, 'Wrong-Password-1', clock.now()),
      }),
    );
  });
  assert.deepEqual(
    seen.map((s) => (s as { message: string }).message),
    [...Array(5).fill('Incorrect username or password.'), 'Password attempts exceeded', 'Password attempts exceeded'],
  );
});

test('USER_PASSWORD_AUTH and USER_AUTH PASSWORD: wrong passwords answer alike, through the lockout', async () => {
  const send = (flow: 'USER_PASSWORD_AUTH' | 'USER_AUTH') => (name: string) =>
    server.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: flow,
        ClientId: client.clientId,
        AuthParameters: {
          USERNAME: name,
          PASSWORD: 'Wrong-Password-1',
          ...(flow === 'USER_AUTH' ? { PREFERRED_CHALLENGE: 'PASSWORD' } : {}),
        },
      }),
    );
  for (const flow of ['USER_PASSWORD_AUTH', 'USER_AUTH'] as const) {
    const pair = names();
    await realUser(pair.real);
    const seen = await assertAlike(pair, 7, send(flow));
    assert.deepEqual(seen.at(-1), { error: 'NotAuthorizedException', message: 'Password attempts exceeded', status: 400 });
    // The lockout ends for the unknown name as for the user.
    await clock.travel(1000, () => assertAlike(pair, 1, send(flow)));
  }
});

test('ForgotPassword: the deliveries and the hourly quota answer alike', async () => {
  const pair = names();
  await realUser(pair.real);
  const seen = await assertAlike(pair, 6, (name) =>
    server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: name })),
  );
  assert.deepEqual(seen[0], { ok: { CodeDeliveryDetails: { AttributeName: 5, DeliveryMedium: 5, Destination: 9 } } });
  assert.deepEqual(seen.at(-1), {
    error: 'LimitExceededException',
    message: 'Attempt limit exceeded, please try after some time.',
    status: 400,
  });
});

test('ConfirmForgotPassword: wrong codes answer alike, with and without a code sent, until the code is burnt', async () => {
  const confirm = (name: string) =>
    server.anonymous.send(
      new ConfirmForgotPasswordCommand({
        ClientId: client.clientId,
        Username: name,
        ConfirmationCode: '000000',
        Password: 'New-Password-2',
      }),
    );
  const before = names();
  await realUser(before.real);
  await assertAlike(before, 2, confirm);

  const pair = names();
  await realUser(pair.real);
  for (const name of [pair.real, pair.unknown])
    await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: name }));
  const code = (await server.lastMessage(poolId, pair.real, 'forgot-password'))!.code!;
  assert.notEqual(code, '000000', 'the guess is wrong (the test sends a fresh code otherwise)');
  const seen = await assertAlike(pair, 7, confirm);
  assert.deepEqual(
    seen.map((s) => (s as { error: string }).error),
    [...Array(5).fill('CodeMismatchException'), 'LimitExceededException', 'LimitExceededException'],
  );
});

test('ResendConfirmationCode and ConfirmSignUp: the quota and wrong codes answer alike', async () => {
  const pair = names();
  await realUser(pair.real, 'UNCONFIRMED');
  const seen = await assertAlike(pair, 6, (name) =>
    server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: client.clientId, Username: name })),
  );
  assert.equal((seen.at(-1) as { error: string }).error, 'LimitExceededException');
  await assertAlike(pair, 7, (name) =>
    server.anonymous.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username: name, ConfirmationCode: '000000' })),
  );
});
