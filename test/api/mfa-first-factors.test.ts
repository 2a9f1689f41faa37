import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { moduleFunctions } from '../support/functions.js';
import { otpChallenge } from '../support/otp-challenge.js';
import { totpAt } from '../support/totp.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { PASSWORD, createClient, createPool, putUser } from './auth-fixtures.js';

// The second factor follows every first factor: USER_AUTH's password and CUSTOM_AUTH's last
// challenge, as well as USER_PASSWORD_AUTH and SRP (test/api/mfa.test.ts, test/clients).

const otp = otpChallenge();
const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let clientId: string;
let seq = 0;

before(async () => {
  server = await startTestServer({ functions: moduleFunctions(otp.sources) }, { clock });
  poolId = await createPool(server, { PoolName: 'mfa-first-factors', LambdaConfig: otp.lambdaConfig });
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }),
  );
  ({ clientId } = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
});
after(() => server.stop());

/** A user with TOTP on, enrolled after a password sign-in; the clock is moved past the step used. */
async function totpUser(): Promise<{ username: string; secret: string }> {
  const username = `first${++seq}`;
  await putUser(server, poolId, { username, attributes: { email: `${username}@example.com` } });
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
  );
  const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
  const { SecretCode } = await server.anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  await server.anonymous.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpAt(SecretCode!, clock.now()) }));
  await server.anonymous.send(
    new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  clock.advance(30_000);
  return { username, secret: SecretCode! };
}

function answerTotp(username: string, challenge: InitiateAuthCommandOutput, code: string) {
  return server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
    }),
  );
}

test('USER_AUTH with the password asks for SOFTWARE_TOKEN_MFA next', async () => {
  const { username, secret } = await totpUser();
  const challenge = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
    }),
  );
  assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  assert.ok((await answerTotp(username, challenge, totpAt(secret, clock.now()))).AuthenticationResult?.AccessToken);
});

test("CUSTOM_AUTH's last challenge is followed by SOFTWARE_TOKEN_MFA", async () => {
  const { username, secret } = await totpUser();
  const started = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username } }),
  );
  assert.equal(started.ChallengeName, 'CUSTOM_CHALLENGE');
  const answered = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: otp.sentCode(username) },
    }),
  );
  assert.equal(answered.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  assert.ok((await answerTotp(username, answered, totpAt(secret, clock.now()))).AuthenticationResult?.IdToken);
});

test("an MFA session answered for another user is refused, even with that user's right code", async () => {
  const alice = await totpUser();
  const bob = await totpUser();
  const challenge = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: alice.username, PASSWORD } }),
  );
  const error = await captureError(() => answerTotp(bob.username, challenge, totpAt(bob.secret, clock.now())));
  assert.deepEqual([error.name, error.message], ['NotAuthorizedException', 'Invalid session for the user.']);
});

test('a SELECT_CHALLENGE session answered once stays spent for the rest of its life', async () => {
  const username = `spent${++seq}`;
  await putUser(server, poolId, { username });
  const choose = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username } }),
  );
  assert.equal(choose.ChallengeName, 'SELECT_CHALLENGE');
  const answer = () =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: choose.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD },
      }),
    );
  assert.ok((await answer()).AuthenticationResult?.AccessToken);
  // A minute on, well within the session's three minutes.
  const replayed = await clock.travel(60_000, () => captureError(answer));
  assert.deepEqual([replayed.name, replayed.message], ['NotAuthorizedException', 'Invalid session for the user.']);
});
