import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.js';
import { openDatabase } from '../../src/store/database.js';
import { CALLBACK, PASSWORD, createClient, createConfirmedUser, createOAuthPool } from '../oauth/helpers.js';

/* What the README promises about operations and security, each checked through the wire. */

/** A GET with this `Host` header (fetch cannot set one), without following redirects. */
function getWithHost(url: string, host: string): Promise<{ status: number; location: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, location: String(response.headers.location ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function withServer(overrides: Parameters<typeof startTestServer>[0], run: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer(overrides);
  try {
    await run(server);
  } finally {
    await server.stop();
  }
}

test('/health/live and /health/ready answer ok', async () => {
  await withServer({}, async (server) => {
    for (const path of ['/health/live', '/health/ready']) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.deepEqual(await response.json(), { status: 'ok' }, path);
    }
  });
});

test('COGNATE_BODY_LIMIT: a larger body is refused with a Cognito error, a smaller one is served', async () => {
  await withServer({ bodyLimit: 2048 }, async (server) => {
    const post = (body: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
        body,
      });
    const small = await post(JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'nosuchclient', AuthParameters: {} }));
    assert.equal(((await small.json()) as { __type: string }).__type, 'ResourceNotFoundException');
    const large = await post(JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'x', AuthParameters: { PAD: 'x'.repeat(4096) } }));
    assert.equal(large.status, 413);
    assert.deepEqual(await large.json(), { __type: 'SerializationException', message: 'Request body is too large.' });
  });
});

test('COGNATE_INBOX=false: codes are delivered but not kept in the inbox', async () => {
  await withServer({ inbox: false }, async (server) => {
    const { poolId } = await createOAuthPool(server);
    const client = await createClient(server, poolId);
    const signedUp = await server.anonymous.send(
      new SignUpCommand({
        ClientId: client.id,
        Username: 'quiet',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'q@example.com' }],
      }),
    );
    assert.equal(signedUp.UserConfirmed, false);
    assert.equal(await server.lastMessage(poolId, 'quiet'), undefined);
    const inbox = await fetch(`${server.url}/_cognate/inbox?username=quiet`, {
      headers: { authorization: `Basic ${Buffer.from('local:local').toString('base64')}` },
    });
    assert.equal(inbox.status, 200);
    assert.doesNotMatch(await inbox.text(), /quiet/);
  });
});

test('refresh tokens and confirmation and reset codes are stored only as hashes', async () => {
  await withServer({}, async (server) => {
    const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'hashes', AutoVerifiedAttributes: ['email'] }))).UserPool!
      .Id!;
    await createConfirmedUser(server, poolId, 'alice', PASSWORD, { email: 'alice@example.com', email_verified: 'true' });
    const client = await createClient(server, poolId);
    const signedIn = await server.anonymous.send(
      new InitiateAuthCommand({ ClientId: client.id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }),
    );
    const refreshToken = signedIn.AuthenticationResult!.RefreshToken!;
    await server.anonymous.send(
      new SignUpCommand({
        ClientId: client.id,
        Username: 'newbie',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'n@example.com' }],
      }),
    );
    await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.id, Username: 'alice' }));
    const signUpCode = (await server.lastMessage(poolId, 'newbie', 'signup'))?.code;
    const resetCode = (await server.lastMessage(poolId, 'alice', 'forgot-password'))?.code;
    assert.ok(signUpCode && resetCode, 'both codes were delivered');

    // Read the tables as they are on disk (or in PostgreSQL), through a connection of our own.
    const database = openDatabase(server.services.config.databaseUrl);
    try {
      for (const table of ['codes', 'refresh_tokens'] as const) {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(database.db);
        assert.ok(rows.length > 0, `${table} has rows`);
        const dump = JSON.stringify(rows);
        for (const [what, secret] of [
          ['the refresh token', refreshToken],
          ['the sign-up code', signUpCode],
          ['the reset code', resetCode],
        ] as const) {
          assert.ok(!dump.includes(secret), `${table} holds ${what} in clear`);
        }
      }
    } finally {
      await database.close();
    }
  });
});

test('COGNATE_LOGIN_DOMAIN: a prefix domain under it, and a custom domain, reach the pool by Host', async () => {
  await withServer({ loginDomain: 'login.test' }, async (server) => {
    const { poolId } = await createOAuthPool(server);
    const client = await createClient(server, poolId);
    await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'myapp' }));
    await server.admin.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: 'auth.example.com',
        CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222' },
      }),
    );
    const query = new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: CALLBACK, scope: 'openid' });
    const authorize = `${server.url}/oauth2/authorize?${query.toString()}`;
    const port = new URL(server.url).port;
    for (const host of [`myapp.login.test:${port}`, 'auth.example.com']) {
      const response = await getWithHost(authorize, host);
      assert.equal(response.status, 302, host);
      assert.equal(new URL(response.location).origin, `http://${host}`, host);
      assert.equal(new URL(response.location).pathname, '/login', host);
    }
    // The default parent domain no longer names the pool, nor does an unknown host.
    for (const host of [`myapp.auth.localhost:${port}`, 'other.example.com']) {
      assert.equal((await getWithHost(authorize, host)).status, 404, host);
    }
  });
});
