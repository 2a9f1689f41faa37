import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminInitiateAuthCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { srpClient } from '../support/srp-client.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { PASSWORD, createClient, createPool, putUser, type TestClient } from './auth-fixtures.js';
import { CALLBACK, createClient as createWebClient } from '../oauth/helpers.js';

/*
 * The lockout under concurrent guesses, on every path that checks a password or a code: however
 * many guesses arrive at once, no more are evaluated than the lockout allows. Evaluations are
 * counted by their answers ("Incorrect username or password." for an evaluated wrong password,
 * "Password attempts exceeded" for a refused one) and by the stored counter, never by timing.
 */

// Frozen near the real time: SigV4 checks the request date against the server's clock, so tests
// that move it put it back (FrozenClock.travel).
const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let client: TestClient;
let web: { id: string; secret: string };

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  client = await createClient(server, poolId, {
    ExplicitAuthFlows: [
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_USER_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ],
  });
  web = await createWebClient(server, poolId);
});
after(() => server.stop());

const WRONG = 'Wrong-Password-1';
const INCORRECT = 'NotAuthorizedException: Incorrect username or password.';
const EXCEEDED = 'NotAuthorizedException: Password attempts exceeded';
const SIGNED_IN = 'signed in';
/** Concurrent guesses per burst: below the SDK's 50 sockets, so every request is in flight at once. */
const BURST = 40;

let counter = 0;
function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** What an answer was: SIGNED_IN, or `<error name>: <message>`. */
async function outcome(send: () => Promise<unknown>): Promise<string> {
  try {
    await send();
    return SIGNED_IN;
  } catch (error) {
    const { name, message } = error as Error;
    return `${name}: ${message}`;
  }
}

function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

/**
 * One sign-in path. `prepare` does whatever must come before the guess itself (for SRP, the
 * PASSWORD_VERIFIER challenge and the proof) and returns the request that carries the guess, so
 * that a burst sends only the guesses at once.
 */
interface SignInPath {
  name: string;
  prepare(username: string, password: string): Promise<() => Promise<string>>;
}

function initiate(username: string, password: string): () => Promise<string> {
  return () =>
    outcome(async () => {
      const answer = await server.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: client.clientId,
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );
      assert.ok(answer.AuthenticationResult?.AccessToken, 'tokens');
    });
}

/** Managed login's POST /login, with a double-submit CSRF token of our own. */
async function hostedLogin(username: string, password: string): Promise<string> {
  const query = new URLSearchParams({ client_id: web.id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' });
  const csrf = 'c'.repeat(43);
  const response = await fetch(`${server.url}/${poolId}/login?${query.toString()}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cognate-csrf=${csrf}` },
    body: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
  });
  const body = await response.text();
  if (response.status === 302 && (response.headers.get('location') ?? '').startsWith(CALLBACK)) return SIGNED_IN;
  for (const message of ['Incorrect username or password.', 'Password attempts exceeded']) {
    if (body.includes(message)) return `NotAuthorizedException: ${message}`;
  }
  return `HTTP ${response.status}`;
}

const PATHS: SignInPath[] = [
  { name: 'USER_PASSWORD_AUTH', prepare: async (username, password) => initiate(username, password) },
  {
    name: 'ADMIN_USER_PASSWORD_AUTH',
    prepare: async (username, password) => () =>
      outcome(async () => {
        const answer = await server.admin.send(
          new AdminInitiateAuthCommand({
            UserPoolId: poolId,
            ClientId: client.clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: username, PASSWORD: password },
          }),
        );
        assert.ok(answer.AuthenticationResult?.AccessToken, 'tokens');
      }),
  },
  {
    name: 'USER_SRP_AUTH (PASSWORD_VERIFIER)',
    async prepare(username, password) {
      const srp = srpClient(poolId);
      const challenge = await server.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: client.clientId,
          AuthParameters: { USERNAME: username, SRP_A: srp.srpA },
        }),
      );
      const responses = srp.respond(challenge.ChallengeParameters!, password, clock.now());
      return () =>
        outcome(async () => {
          const answer = await server.anonymous.send(
            new RespondToAuthChallengeCommand({
              ClientId: client.clientId,
              ChallengeName: 'PASSWORD_VERIFIER',
              ChallengeResponses: responses,
            }),
          );
          assert.ok(answer.AuthenticationResult?.AccessToken, 'tokens');
        });
    },
  },
  {
    name: 'USER_AUTH (PASSWORD)',
    prepare: async (username, password) => () =>
      outcome(async () => {
        const answer = await server.anonymous.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_AUTH',
            ClientId: client.clientId,
            AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password },
          }),
        );
        assert.ok(answer.AuthenticationResult?.AccessToken, 'tokens');
      }),
  },
  { name: 'managed login (POST /login)', prepare: async (username, password) => () => hostedLogin(username, password) },
];

async function storedFailures(username: string): Promise<number | undefined> {
  const user = await server.services.store.users.get(poolId, username);
  assert.ok(user, `${username} exists`);
  return (await server.services.store.rateCounters.peek(`signin-failures:${poolId}:${user.sub}`))?.count;
}

for (const path of PATHS) {
  test(`${path.name}: ${BURST} concurrent wrong passwords are evaluated five at most, and the lockout then refuses the right one`, async () => {
    const username = uniqueName('burst');
    await putUser(server, poolId, { username });

    const guesses = await Promise.all(Array.from({ length: BURST }, () => path.prepare(username, WRONG)));
    const answers = tally(await Promise.all(guesses.map((send) => send())));
    assert.deepEqual(answers, { [INCORRECT]: 5, [EXCEEDED]: BURST - 5 });
    assert.equal(await storedFailures(username), 5, 'five attempts were counted');

    // Locked: a burst with the right password among wrong ones is refused whole.
    const mixed = await Promise.all([...Array.from({ length: 10 }, () => path.prepare(username, WRONG)), path.prepare(username, PASSWORD)]);
    assert.deepEqual(tally(await Promise.all(mixed.map((send) => send()))), { [EXCEEDED]: 11 });
    assert.equal(await storedFailures(username), 5, 'refused attempts count nothing');

    // After the one-second lockout the right password signs in and clears the count.
    await clock.travel(1000, async () => {
      assert.equal(await (await path.prepare(username, PASSWORD))(), SIGNED_IN);
      assert.equal(await storedFailures(username), undefined);
    });
  });
}

test('ChangePassword: concurrent wrong previous passwords are evaluated five at most (the hourly quota), and the right one is then refused', async () => {
  const username = uniqueName('change');
  await putUser(server, poolId, { username });
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client.clientId,
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
  const change = (previous: string): Promise<string> =>
    outcome(() =>
      server.anonymous.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: previous, ProposedPassword: 'New-Password-2' })),
    );
  const answers = tally(await Promise.all(Array.from({ length: BURST }, () => change(WRONG))));
  const LIMIT = 'LimitExceededException: Attempt limit exceeded, please try after some time.';
  assert.deepEqual(answers, { [INCORRECT]: 5, [LIMIT]: BURST - 5 });
  assert.equal(await change(PASSWORD), LIMIT);
  assert.equal(await initiate(username, PASSWORD)(), SIGNED_IN, 'the password is unchanged');
});

const MISMATCH = 'CodeMismatchException: Invalid verification code provided, please try again.';
const CODE_LIMIT = 'LimitExceededException: Attempt limit exceeded, please try after some time.';

/** Five wrong codes evaluated, and every other guess refused: the code is burnt. */
function assertFiveEvaluated(answers: Record<string, number>): void {
  assert.deepEqual(answers, { [MISMATCH]: 5, [CODE_LIMIT]: BURST - 5 });
}

/** A code that is surely wrong: the right one with its first digit changed. */
function wrongCode(code: string): string {
  return `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
}

test('ConfirmForgotPassword: concurrent wrong codes are evaluated five at most, then the code is burnt', async () => {
  const username = uniqueName('forgot');
  await putUser(server, poolId, { username, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: username }));
  const code = (await server.lastMessage(poolId, username, 'forgot-password'))?.code;
  assert.ok(code, 'a reset code was sent');
  const confirm = (guess: string): Promise<string> =>
    outcome(() =>
      server.anonymous.send(
        new ConfirmForgotPasswordCommand({
          ClientId: client.clientId,
          Username: username,
          ConfirmationCode: guess,
          Password: 'New-Password-2',
        }),
      ),
    );
  const answers = tally(await Promise.all(Array.from({ length: BURST }, () => confirm(wrongCode(code)))));
  assertFiveEvaluated(answers);
  assert.equal(await confirm(code), CODE_LIMIT, 'the right code no longer works');
  assert.equal(await initiate(username, PASSWORD)(), SIGNED_IN, 'the password is unchanged');
});

test('ConfirmSignUp: concurrent wrong codes are evaluated five at most, then the code is burnt', async () => {
  const username = uniqueName('signup');
  await server.anonymous.send(
    new SignUpCommand({
      ClientId: client.clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }),
  );
  const code = (await server.lastMessage(poolId, username, 'signup'))?.code;
  assert.ok(code, 'a sign-up code was sent');
  const confirm = (guess: string): Promise<string> =>
    outcome(() =>
      server.anonymous.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username: username, ConfirmationCode: guess })),
    );
  const answers = tally(await Promise.all(Array.from({ length: BURST }, () => confirm(wrongCode(code)))));
  assertFiveEvaluated(answers);
  assert.equal(await confirm(code), CODE_LIMIT, 'the right code no longer works');
});

test('a reset code answers one of several concurrent right guesses only', async () => {
  const username = uniqueName('once');
  await putUser(server, poolId, { username, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: username }));
  const code = (await server.lastMessage(poolId, username, 'forgot-password'))!.code!;
  const answers = await Promise.all(
    ['New-Password-2', 'New-Password-3', 'New-Password-4'].map((Password) =>
      outcome(() =>
        server.anonymous.send(
          new ConfirmForgotPasswordCommand({ ClientId: client.clientId, Username: username, ConfirmationCode: code, Password }),
        ),
      ),
    ),
  );
  assert.equal(answers.filter((a) => a === SIGNED_IN).length, 1, answers.join(', '));
});

// ---------------------------------------------------------------- the lockout's clock

/** The documented lockout after n failures (n >= 5): 2^(n-5) seconds, at most 15 minutes. */
function documentedLockMs(failures: number): number {
  return Math.min(2 ** (failures - 5) * 1000, 15 * 60_000);
}

/** A new user, and a function that tries a password for it (a wrong one unless told) with USER_PASSWORD_AUTH. */
async function guesser(prefix: string): Promise<(password?: string) => Promise<string>> {
  const username = uniqueName(prefix);
  await putUser(server, poolId, { username });
  return (password = WRONG) => initiate(username, password)();
}

test('the lockout doubles up to 15 minutes and no further', async () => {
  const guess = await guesser('cap');
  await clock.travel(0, async () => {
    for (let n = 1; n <= 5; n++) assert.equal(await guess(), INCORRECT, `failure ${n}`);
    // Failures 6 to 15, each right after the lockout of the one before.
    for (let n = 6; n <= 15; n++) {
      clock.advance(documentedLockMs(n - 1));
      assert.equal(await guess(), INCORRECT, `failure ${n}`);
    }
    // Fifteen failures would lock for 2^10 s = 17 minutes; the cap makes it 15.
    clock.advance(15 * 60_000 - 1);
    assert.equal(await guess(PASSWORD), EXCEEDED, 'still locked just before 15 minutes');
    clock.advance(1);
    assert.equal(await guess(), INCORRECT, 'the sixteenth failure, at 15 minutes');
    // And it stays at 15 minutes.
    clock.advance(15 * 60_000 - 1);
    assert.equal(await guess(PASSWORD), EXCEEDED);
    clock.advance(1);
    assert.equal(await guess(PASSWORD), SIGNED_IN);
  });
});

test('15 quiet minutes forget the failures, counted from the last one while not locked out', async () => {
  const guess = await guesser('idle');
  await clock.travel(0, async () => {
    for (let n = 1; n <= 4; n++) assert.equal(await guess(), INCORRECT);
    clock.advance(15 * 60_000 - 1);
    assert.equal(await guess(), INCORRECT, 'the fifth failure, a moment too early to be forgiven');
    clock.advance(1000);
    assert.equal(await guess(), INCORRECT, 'the sixth, after the one-second lockout');
    assert.equal(await guess(), EXCEEDED, 'locked for two seconds');
  });
  const guessOther = await guesser('idle');
  await clock.travel(0, async () => {
    for (let n = 1; n <= 4; n++) assert.equal(await guessOther(), INCORRECT);
    clock.advance(15 * 60_000);
    // Forgotten: five more failures are free again before the lockout.
    for (let n = 1; n <= 5; n++) assert.equal(await guessOther(), INCORRECT, `failure ${n} after the quiet spell`);
    assert.equal(await guessOther(PASSWORD), EXCEEDED);
  });
});

test('after a lockout, the 15 quiet minutes start when the lockout ends', async () => {
  const guess = await guesser('idle-lock');
  await clock.travel(0, async () => {
    for (let n = 1; n <= 5; n++) assert.equal(await guess(), INCORRECT);
    // Locked for one second: 15 minutes after the last failure are not yet 15 quiet minutes.
    clock.advance(15 * 60_000 + 1000 - 1);
    assert.equal(await guess(), INCORRECT, 'the sixth failure still counts');
    assert.equal(await guess(PASSWORD), EXCEEDED, 'and locks for two seconds');
    clock.advance(2000 + 15 * 60_000);
    for (let n = 1; n <= 5; n++) assert.equal(await guess(), INCORRECT, `failure ${n} after the quiet spell`);
    assert.equal(await guess(PASSWORD), EXCEEDED);
  });
});
