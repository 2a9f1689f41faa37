import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InitiateAuthCommand, type AuthFlowType, type ExplicitAuthFlowsType } from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { srpClient } from '../support/srp-client.js';
import { PASSWORD, createClient, createPool, putUser } from './auth-fixtures.js';
import { CALLBACK, createClient as createWebClient } from '../oauth/helpers.js';

/*
 * Which flows an app client's ExplicitAuthFlows let through InitiateAuth: the ALLOW_ names, the
 * legacy names (with which SRP, custom auth and refresh stay on), rotation's refusal of the
 * refresh flows, and managed login, which ExplicitAuthFlows do not govern.
 */

let server: TestServer;
serverForTests((started) => (server = started));

const SRP_OFF = ['InvalidParameterException', 'USER_SRP_AUTH is not enabled for the client.'];
const REFRESH_OFF = ['InvalidParameterException', 'Refresh Token flow not enabled for this client'];
const CUSTOM_OFF = ['InvalidParameterException', 'CUSTOM_AUTH flow not enabled for this client'];
/** What an enabled CUSTOM_AUTH answers, past the flow check, in a pool without the challenge triggers. */
const CUSTOM_ON = ['InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.'];
/** What an enabled refresh flow answers for a token that is not one, past the flow check. */
const REFRESH_ON = ['NotAuthorizedException', 'Invalid Refresh Token'];

/** InitiateAuth of a flow on a new client of a new pool: `challenge <name>` or `<error name>: <message>` as a pair. */
async function answer(clientId: string, poolId: string, flow: AuthFlowType): Promise<string[]> {
  const parameters: Record<string, string> =
    flow === 'USER_SRP_AUTH'
      ? { USERNAME: 'someone', SRP_A: srpClient(poolId).srpA }
      : flow === 'CUSTOM_AUTH'
        ? { USERNAME: 'someone' }
        : { REFRESH_TOKEN: 'not-a-refresh-token' };
  try {
    const out = await server.anonymous.send(new InitiateAuthCommand({ AuthFlow: flow, ClientId: clientId, AuthParameters: parameters }));
    return ['challenge', out.ChallengeName ?? ''];
  } catch (error) {
    const { name, message } = error as Error;
    return [name, message];
  }
}

async function clientWith(
  flows: ExplicitAuthFlowsType[],
  extra: Parameters<typeof createClient>[2] = {},
): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server);
  await putUser(server, poolId, { username: 'someone' });
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: flows, ...extra });
  return { poolId, clientId };
}

test('a client with only legacy names keeps SRP, custom auth and refresh on', async () => {
  const { poolId, clientId } = await clientWith(['ADMIN_NO_SRP_AUTH']);
  assert.deepEqual(await answer(clientId, poolId, 'USER_SRP_AUTH'), ['challenge', 'PASSWORD_VERIFIER']);
  assert.deepEqual(await answer(clientId, poolId, 'CUSTOM_AUTH'), CUSTOM_ON);
  assert.deepEqual(await answer(clientId, poolId, 'REFRESH_TOKEN_AUTH'), REFRESH_ON);
  assert.deepEqual(await answer(clientId, poolId, 'REFRESH_TOKEN'), REFRESH_ON);
});

test('CUSTOM_AUTH_FLOW_ONLY turns SRP off but keeps custom auth and refresh on', async () => {
  const { poolId, clientId } = await clientWith(['CUSTOM_AUTH_FLOW_ONLY']);
  assert.deepEqual(await answer(clientId, poolId, 'USER_SRP_AUTH'), SRP_OFF);
  assert.deepEqual(await answer(clientId, poolId, 'CUSTOM_AUTH'), CUSTOM_ON);
  assert.deepEqual(await answer(clientId, poolId, 'REFRESH_TOKEN'), REFRESH_ON);
});

test('with ALLOW_ names, refresh and custom auth are on only when listed, under either refresh name', async () => {
  const srpOnly = await clientWith(['ALLOW_USER_SRP_AUTH']);
  assert.deepEqual(await answer(srpOnly.clientId, srpOnly.poolId, 'USER_SRP_AUTH'), ['challenge', 'PASSWORD_VERIFIER']);
  assert.deepEqual(await answer(srpOnly.clientId, srpOnly.poolId, 'REFRESH_TOKEN_AUTH'), REFRESH_OFF);
  assert.deepEqual(await answer(srpOnly.clientId, srpOnly.poolId, 'REFRESH_TOKEN'), REFRESH_OFF);
  assert.deepEqual(await answer(srpOnly.clientId, srpOnly.poolId, 'CUSTOM_AUTH'), CUSTOM_OFF);

  const custom = await clientWith(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  assert.deepEqual(await answer(custom.clientId, custom.poolId, 'CUSTOM_AUTH'), CUSTOM_ON);
  assert.deepEqual(await answer(custom.clientId, custom.poolId, 'REFRESH_TOKEN'), REFRESH_ON);
  assert.deepEqual(await answer(custom.clientId, custom.poolId, 'USER_SRP_AUTH'), SRP_OFF);
});

test('a client that rotates refresh tokens refuses both refresh flows, though it lists ALLOW_REFRESH_TOKEN_AUTH', async () => {
  const { poolId, clientId } = await clientWith(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], {
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
  });
  assert.deepEqual(await answer(clientId, poolId, 'REFRESH_TOKEN_AUTH'), REFRESH_OFF);
  assert.deepEqual(await answer(clientId, poolId, 'REFRESH_TOKEN'), REFRESH_OFF);
});

test('managed login signs in with the password on a client without ALLOW_USER_PASSWORD_AUTH', async () => {
  const poolId = await createPool(server);
  await putUser(server, poolId, { username: 'someone' });
  const web = await createWebClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  const refused = await captureError(() =>
    server.anonymous.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: web.id, AuthParameters: { USERNAME: 'someone', PASSWORD } }),
    ),
  );
  assert.deepEqual([refused.name, refused.message], ['InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client']);

  const query = new URLSearchParams({ client_id: web.id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' });
  const csrf = 'c'.repeat(43);
  const response = await fetch(`${server.url}/${poolId}/login?${query.toString()}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cognate-csrf=${csrf}` },
    body: new URLSearchParams({ username: 'someone', password: PASSWORD, _csrf: csrf }).toString(),
  });
  assert.equal(response.status, 302);
  assert.match(response.headers.get('location') ?? '', new RegExp(`^${CALLBACK}\\?code=[^&]+$`));
});
