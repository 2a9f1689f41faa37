import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, putUser } from './auth-fixtures.js';
import { initiateSrp, passwordVerifierResponses } from './srp-fixtures.js';
import { formatTimestamp } from '../../src/crypto/srp.js';
import { TIMESTAMP_TOLERANCE_MS } from '../../src/auth/steps/srp.js';

/*
 * The PASSWORD_VERIFIER TIMESTAMP may be up to a day from the server's clock, both ends included.
 * The clock stands on a whole second, so a TIMESTAMP (whole seconds) can be exactly a day away.
 */

let server: TestServer;
const clock = serverForTests((started) => (server = started));

async function answerAt(poolId: string, clientId: string, username: string, timestamp: string) {
  const signIn = await initiateSrp(server, poolId, clientId, username);
  const responses = await passwordVerifierResponses(server, signIn, PASSWORD, { TIMESTAMP: timestamp });
  return server.anonymous.send(
    new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }),
  );
}

test('a TIMESTAMP exactly a day before or after the server clock signs in; a second further is refused', async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  await putUser(server, poolId, { username: 'traveller' });
  const now = clock.now();
  assert.equal(now % 1000, 0, 'the clock stands on a whole second');
  assert.equal(TIMESTAMP_TOLERANCE_MS, 24 * 3_600_000);

  for (const at of [now - TIMESTAMP_TOLERANCE_MS, now + TIMESTAMP_TOLERANCE_MS]) {
    const signedIn = await answerAt(poolId, clientId, 'traveller', formatTimestamp(at));
    assert.ok(signedIn.AuthenticationResult?.AccessToken, formatTimestamp(at));
  }
  for (const at of [now - TIMESTAMP_TOLERANCE_MS - 1000, now + TIMESTAMP_TOLERANCE_MS + 1000]) {
    const error = await captureError(() => answerAt(poolId, clientId, 'traveller', formatTimestamp(at)));
    assert.deepEqual([error.name, error.message], ['NotAuthorizedException', 'Incorrect username or password.'], formatTimestamp(at));
  }
});
