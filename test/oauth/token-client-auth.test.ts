import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddUserPoolClientSecretCommand } from '@aws-sdk/client-cognito-identity-provider';
import { serverForTests, type TestServer } from '../support/server.js';
import { CALLBACK, createClient, createOAuthPool, getManual, postForm, sessionCookie, type OAuthPool } from './helpers.js';

/*
 * How the token endpoint reads a client's credentials (client-auth.ts), seen through the code
 * grant: every refusal is Cognito's 400 `{"error":"invalid_client"}`, and a refused request
 * leaves the code unspent, so the same code then shows what the accepted form looks like.
 */

let server: TestServer;
serverForTests((started) => (server = started));

const INVALID_CLIENT = { status: 400, body: { error: 'invalid_client' } };

/** A fresh pool (with alice) and an authorization code of `clientId` for her. */
async function codeFor(pool: OAuthPool, clientId: string): Promise<string> {
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid' });
  const response = await getManual(`${pool.issuer}/oauth2/authorize?${query.toString()}`, sessionCookie(server, pool, 'alice'));
  assert.equal(response.status, 302, response.body);
  const code = new URL(response.location).searchParams.get('code');
  assert.ok(code, response.location);
  return code;
}

/** `Authorization: Basic` over exactly these bytes, with no form encoding of the halves. */
function rawBasic(credentials: string, scheme = 'Basic '): string {
  return `${scheme}${Buffer.from(credentials).toString('base64')}`;
}

async function exchange(pool: OAuthPool, form: Record<string, string>, authorization?: string): Promise<{ status: number; body: unknown }> {
  const response = await postForm(
    `${pool.issuer}/oauth2/token`,
    { grant_type: 'authorization_code', redirect_uri: CALLBACK, ...form },
    authorization,
  );
  return { status: response.status, body: response.body };
}

test('Basic takes any number of spaces after the scheme, but nothing before it or after the credentials', async () => {
  const pool = await createOAuthPool(server);
  const client = await createClient(server, pool.poolId, { GenerateSecret: true });
  const code = await codeFor(pool, client.id);
  const encoded = Buffer.from(`${client.id}:${client.secret}`).toString('base64');

  for (const authorization of [`XBasic ${encoded}`, `Bearer Basic ${encoded}`, `Basic ${encoded} x`, `Basic ${encoded},Basic ${encoded}`]) {
    assert.deepEqual(await exchange(pool, { code }, authorization), INVALID_CLIENT, authorization);
  }
  const ok = await exchange(pool, { code }, `Basic   ${encoded}`);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});

test('Basic credentials are form-encoded: an unescaped + is a space, so a secret split by one does not match', async () => {
  const pool = await createOAuthPool(server);
  const client = await createClient(server, pool.poolId, { GenerateSecret: true });
  const code = await codeFor(pool, client.id);
  const split = `${client.secret.slice(0, 8)}+${client.secret.slice(8)}`;
  assert.deepEqual(await exchange(pool, { code }, rawBasic(`${client.id}:${split}`)), INVALID_CLIENT);
  assert.deepEqual(await exchange(pool, { code }, rawBasic(`${client.id}+:${client.secret}`)), INVALID_CLIENT);
  const ok = await exchange(pool, { code }, rawBasic(`${client.id}:${client.secret}`));
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});

test('Basic credentials without a colon are invalid_client, even when they spell a client ID and one of its secrets', async () => {
  const pool = await createOAuthPool(server);
  const client = await createClient(server, pool.poolId, { GenerateSecret: true });
  // A second secret that is the client ID and one more character: read without the colon rule,
  // "<id>X" would split into the ID ("<id>X" less its last character) and this secret.
  await server.admin.send(
    new AddUserPoolClientSecretCommand({ UserPoolId: pool.poolId, ClientId: client.id, ClientSecret: `${client.id}X` }),
  );
  const code = await codeFor(pool, client.id);
  assert.deepEqual(await exchange(pool, { code }, rawBasic(`${client.id}X`)), INVALID_CLIENT);
  const ok = await exchange(pool, { code }, rawBasic(`${client.id}:${client.id}X`));
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});

test('a broken percent escape in the Basic secret is invalid_client, even for a public client', async () => {
  const pool = await createOAuthPool(server);
  const client = await createClient(server, pool.poolId);
  const code = await codeFor(pool, client.id);
  assert.deepEqual(await exchange(pool, { code }, rawBasic(`${client.id}:%E0%A4%A`)), INVALID_CLIENT);
  assert.deepEqual(await exchange(pool, { code }, rawBasic(`%E0%A4%A:${client.id}`)), INVALID_CLIENT);
  const ok = await exchange(pool, { code, client_id: client.id });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});

test('a public client that sends a secret is invalid_client, in the form or with Basic', async () => {
  const pool = await createOAuthPool(server);
  const client = await createClient(server, pool.poolId);
  const code = await codeFor(pool, client.id);
  assert.deepEqual(await exchange(pool, { code, client_id: client.id, client_secret: 'anything-at-all' }), INVALID_CLIENT);
  assert.deepEqual(await exchange(pool, { code }, rawBasic(`${client.id}:anything-at-all`)), INVALID_CLIENT);
  const ok = await exchange(pool, { code, client_id: client.id });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});
