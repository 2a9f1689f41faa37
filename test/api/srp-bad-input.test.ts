import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, putUser } from './auth-fixtures.js';
import { initiateSrp, passwordVerifierResponses, srpSignIn, type SrpSignIn } from './srp-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { N, formatTimestamp } from '../../src/crypto/srp.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = new FrozenClock(Math.floor(Date.now() / 1000) * 1000 + 250);
let server: TestServer;
let poolId: string;
let clientId: string;
let seq = 0;

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server);
  clientId = (await createClient(server, poolId)).clientId;
});
after(() => server.stop());

const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

/** Every bad input is a Cognito error with its exact type and text, and never a 5xx. */
async function expectError(fn: () => Promise<unknown>, expected: { name: string; message: string }): Promise<void> {
  const error = await captureError(fn);
  assert.deepEqual({ name: error.name, message: error.message }, expected);
  assert.equal(error.$metadata?.httpStatusCode, 400);
}

async function newUser(): Promise<string> {
  return (await putUser(server, poolId, { username: `bad${++seq}` })).username;
}

function answer(responses: Record<string, string>, client = clientId) {
  return server.anonymous.send(
    new RespondToAuthChallengeCommand({ ClientId: client, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }),
  );
}

async function started(): Promise<SrpSignIn> {
  return initiateSrp(server, poolId, clientId, await newUser());
}

test('a malformed SRP_A is InvalidParameterException: not hex, zero, N, a multiple of N, too long', async () => {
  const username = await newUser();
  for (const srpA of ['xyz', '0x1234', '12 34', '0', '000', N.toString(16), (N * 3n).toString(16), 'f'.repeat(1025), '-1']) {
    await expectError(
      () =>
        server.anonymous.send(
          new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, SRP_A: srpA } }),
        ),
      { name: 'InvalidParameterException', message: 'Invalid SRP_A value.' },
    );
  }
  // Checked before the user is looked up, so it says nothing about who exists.
  await expectError(
    () =>
      server.anonymous.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'nobody', SRP_A: '0' } }),
      ),
    { name: 'InvalidParameterException', message: 'Invalid SRP_A value.' },
  );
});

test('a tampered, truncated or foreign SECRET_BLOCK is "Incorrect username or password."', async () => {
  const signIn = await started();
  const block = signIn.params['SECRET_BLOCK']!;
  const bytes = Buffer.from(block, 'base64');
  const flipped = Buffer.from(bytes);
  flipped[bytes.length - 1] = flipped[bytes.length - 1]! ^ 1;
  const forged = [
    flipped.toString('base64'),
    bytes.subarray(0, 40).toString('base64'),
    Buffer.concat([Buffer.from([2]), bytes.subarray(1)]).toString('base64'),
    'AgV4hdAD1aGVsbG8=',
    '!!!not-base64!!!',
    'A'.repeat(9000),
  ];
  for (const secretBlock of forged) {
    // A proof signed over the forged block itself, so only the block is wrong.
    const responses = await passwordVerifierResponses(server, signIn, PASSWORD, { PASSWORD_CLAIM_SECRET_BLOCK: secretBlock });
    await expectError(() => answer(responses), INCORRECT);
  }
  // The untouched block still works afterwards: forged blocks spend nothing.
  await answer(await passwordVerifierResponses(server, signIn, PASSWORD));

  // A block issued to another app client of the pool.
  const other = await createClient(server, poolId);
  const elsewhere = await initiateSrp(server, poolId, other.clientId, await newUser());
  await expectError(async () => answer(await passwordVerifierResponses(server, elsewhere, PASSWORD), clientId), INCORRECT);
});

test('a replayed SECRET_BLOCK is refused, after a success and after a wrong proof', async () => {
  const signIn = await started();
  const responses = await passwordVerifierResponses(server, signIn, PASSWORD);
  await answer(responses);
  await expectError(() => answer(responses), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });

  const wrong = await started();
  await expectError(async () => answer(await passwordVerifierResponses(server, wrong, 'Wrong-Horse-9')), INCORRECT);
  await expectError(async () => answer(await passwordVerifierResponses(server, wrong, PASSWORD)), {
    name: 'NotAuthorizedException',
    message: 'Invalid session for the user.',
  });
});

test("a SECRET_BLOCK expires with the client's AuthSessionValidity (3 minutes by default)", async () => {
  const signIn = await started();
  await clock.travel(3 * 60_000, () =>
    expectError(async () => answer(await passwordVerifierResponses(server, signIn, PASSWORD)), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    }),
  );

  const patient = await createClient(server, poolId, { AuthSessionValidity: 15 });
  const slow = await initiateSrp(server, poolId, patient.clientId, await newUser());
  await clock.travel(14 * 60_000, async () => answer(await passwordVerifierResponses(server, slow, PASSWORD), patient.clientId));
});

test('a TIMESTAMP not in Cognito\'s exact format, or a day away from now, is "Incorrect username or password."', async () => {
  const now = clock.now();
  const d = new Date(now);
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const wrongWeekday = formatTimestamp(now).replace(/^\w{3}/, weekdays[(d.getUTCDay() + 1) % 7]!);
  const bad = [
    'Tue Mar 05 07:04:09 UTC 2024',
    new Date(now).toISOString(),
    new Date(now).toUTCString(),
    wrongWeekday,
    formatTimestamp(now).replace('UTC', 'GMT'),
    formatTimestamp(now - 25 * 3_600_000),
    formatTimestamp(now + 25 * 3_600_000),
    '',
  ];
  for (const timestamp of bad) {
    const signIn = await started();
    const responses = await passwordVerifierResponses(server, signIn, PASSWORD, { TIMESTAMP: timestamp });
    if (timestamp === '') {
      await expectError(() => answer(responses), { name: 'InvalidParameterException', message: 'Missing required parameter TIMESTAMP' });
    } else {
      await expectError(() => answer(responses), INCORRECT);
    }
  }
  // A single-digit day padded with a zero, whatever today's date: on the 5th of next month.
  const fifth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 5, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  await clock.travel(fifth - now, async () => {
    const padded = formatTimestamp(clock.now()).replace(/ (\d) /, ' 0$1 ');
    assert.notEqual(padded, formatTimestamp(clock.now()));
    const signIn = await started();
    await expectError(async () => answer(await passwordVerifierResponses(server, signIn, PASSWORD, { TIMESTAMP: padded })), INCORRECT);
  });
  // A client whose clock is an hour off still signs in.
  const skewed = await started();
  await answer(await passwordVerifierResponses(server, skewed, PASSWORD, { TIMESTAMP: formatTimestamp(now - 3_600_000) }));
});

test("a proof for another user is refused: another user's valid proof, or a block answered in another user's name", async () => {
  const alice = await started();
  const bob = await started();
  // Bob's valid proof, presented as Alice's.
  const bobProof = await passwordVerifierResponses(server, bob, PASSWORD);
  await expectError(() => answer({ ...bobProof, USERNAME: alice.params['USER_ID_FOR_SRP']! }), INCORRECT);
  // Alice's block, with a proof made for Bob's name and password.
  const aliceAsBob = await passwordVerifierResponses(
    server,
    { ...alice, params: { ...alice.params, USER_ID_FOR_SRP: bob.params['USER_ID_FOR_SRP']! } },
    PASSWORD,
  );
  await expectError(() => answer(aliceAsBob), INCORRECT);
  // Names that resolve to no user at all.
  await expectError(
    async () => answer({ ...(await passwordVerifierResponses(server, alice, PASSWORD)), USERNAME: 'nobody-at-all' }),
    INCORRECT,
  );
  // Both blocks were left unspent by the refusals above and still work for their own user.
  await answer(await passwordVerifierResponses(server, alice, PASSWORD));
  await answer(bobProof);
});

test('a malformed or missing proof is a Cognito error', async () => {
  const signIn = await started();
  const responses = await passwordVerifierResponses(server, signIn, PASSWORD);
  for (const signature of ['', '%%%', 'AAAA', Buffer.alloc(64).toString('base64'), 'x'.repeat(5000)]) {
    if (signature === '') {
      await expectError(() => answer({ ...responses, PASSWORD_CLAIM_SIGNATURE: signature }), {
        name: 'InvalidParameterException',
        message: 'Missing required parameter PASSWORD_CLAIM_SIGNATURE',
      });
      continue;
    }
    const fresh = await started();
    const good = await passwordVerifierResponses(server, fresh, PASSWORD);
    await expectError(() => answer({ ...good, PASSWORD_CLAIM_SIGNATURE: signature }), INCORRECT);
  }
  for (const name of ['USERNAME', 'PASSWORD_CLAIM_SECRET_BLOCK', 'TIMESTAMP', 'PASSWORD_CLAIM_SIGNATURE']) {
    const partial = { ...responses };
    delete partial[name];
    await expectError(() => answer(partial), { name: 'InvalidParameterException', message: `Missing required parameter ${name}` });
  }
});

test('the device challenges refuse answers without their session, with a bad SRP_A, or for another device', async () => {
  const username = await newUser();
  const exchangeA = 'abc123';
  await expectError(
    () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_SRP_AUTH',
          ChallengeResponses: { USERNAME: username, DEVICE_KEY: 'us-east-1_x', SRP_A: exchangeA },
        }),
      ),
    { name: 'NotAuthorizedException', message: 'Invalid session for the user.' },
  );
  // A PASSWORD_VERIFIER SECRET_BLOCK is no Session.
  const signIn = await started();
  await expectError(
    () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
          Session: signIn.params['SECRET_BLOCK']!,
          ChallengeResponses: { USERNAME: username, DEVICE_KEY: 'us-east-1_x' },
        }),
      ),
    { name: 'NotAuthorizedException', message: 'Invalid session for the user.' },
  );
  // A NEW_PASSWORD_REQUIRED session answered as DEVICE_SRP_AUTH.
  const temporary = await putUser(server, poolId, { username: `bad${++seq}`, status: 'FORCE_CHANGE_PASSWORD' });
  const challenged = await srpSignIn(server, poolId, clientId, temporary.username, PASSWORD);
  const error = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'DEVICE_SRP_AUTH',
        Session: challenged.Session!,
        ChallengeResponses: { USERNAME: temporary.username, DEVICE_KEY: 'us-east-1_x', SRP_A: exchangeA },
      }),
    ),
  );
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});
