import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser } from './auth-fixtures.js';
import { signRs256Jwt } from '../../src/tokens/jwt.js';

/*
 * What authenticateAccessToken refuses, claim by claim, seen through GetUser: each token below is
 * signed by the pool's own access key (so only the named claim or header is wrong) and each refusal
 * is checked to its exact error. The genuine token of each case is shown to work first.
 */

let server: TestServer;
const clock = serverForTests((started) => (server = started));

interface Signed {
  poolId: string;
  username: string;
  token: string;
}

/** A pool, a client, a user and that user's genuine access token. */
async function signedIn(): Promise<Signed> {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const username = `user-${randomUUID().slice(0, 8)}`;
  await putUser(server, poolId, { username });
  const result = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
  );
  return { poolId, username, token: result.AuthenticationResult!.AccessToken! };
}

/** The token's claims changed by `edit`, signed RS256 by the pool's current access key. */
async function resigned(signed: Signed, edit: (claims: Record<string, unknown>) => void): Promise<string> {
  const claims = decodePayload(signed.token);
  edit(claims);
  const key = await server.services.keys.signingKey(signed.poolId, 'access');
  return signRs256Jwt(key.kid, claims, key.key);
}

function getUser(token: string): Promise<unknown> {
  return server.anonymous.send(new GetUserCommand({ AccessToken: token }));
}

async function assertRefused(token: string, name: string, message: string, label = ''): Promise<void> {
  const error = await captureError(() => getUser(token));
  assert.equal(error.name, name, `${label}: ${error.message}`);
  assert.equal(error.message, message, label);
  assert.equal(error.$metadata?.httpStatusCode, 400, label);
}

async function assertAccepted(token: string, username: string): Promise<void> {
  const user = (await getUser(token)) as { Username?: string };
  assert.equal(user.Username, username);
}

test('a genuine access token with a fourth dot-separated part is refused', async () => {
  const signed = await signedIn();
  await assertAccepted(signed.token, signed.username);
  await assertRefused(`${signed.token}.AAAA`, 'NotAuthorizedException', 'Invalid Access Token');
});

test('a token whose header names another algorithm is refused, even with a valid RS256 signature', async () => {
  const signed = await signedIn();
  const key = await server.services.keys.signingKey(signed.poolId, 'access');
  const payload = signed.token.split('.')[1]!;
  for (const alg of ['RS512', 'PS256', 'none', 'HS256']) {
    const header = Buffer.from(JSON.stringify({ kid: key.kid, alg })).toString('base64url');
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key.key).toString('base64url');
    await assertRefused(`${header}.${payload}.${signature}`, 'NotAuthorizedException', 'Invalid Access Token', alg);
    await assertRefused(`${header}.${payload}.`, 'NotAuthorizedException', 'Invalid Access Token', `${alg}, no signature`);
  }
});

test('a token without a numeric exp or iat is refused as invalid', async () => {
  const signed = await signedIn();
  await assertAccepted(await resigned(signed, () => {}), signed.username);
  const cases: Array<[string, (claims: Record<string, unknown>) => void]> = [
    ['no exp', (claims) => delete claims['exp']],
    ['no iat', (claims) => delete claims['iat']],
    ['exp as a string', (claims) => (claims['exp'] = String(claims['exp']))],
    ['iat as a string', (claims) => (claims['iat'] = String(claims['iat']))],
  ];
  for (const [label, edit] of cases) {
    await assertRefused(await resigned(signed, edit), 'NotAuthorizedException', 'Invalid Access Token', label);
  }
});

test('an access token has expired from the very millisecond of its exp', async () => {
  const signed = await signedIn();
  const exp = decodePayload(signed.token)['exp'] as number;
  await clock.travel(exp * 1000 - 1 - clock.now(), () => assertAccepted(signed.token, signed.username));
  await clock.travel(exp * 1000 - clock.now(), () => assertRefused(signed.token, 'NotAuthorizedException', 'Access Token has expired'));
});

test('a token that is not an access token, or lacks username or scope, is refused as invalid', async () => {
  const signed = await signedIn();
  const cases: Array<[string, (claims: Record<string, unknown>) => void]> = [
    ['token_use id', (claims) => (claims['token_use'] = 'id')],
    ['no token_use', (claims) => delete claims['token_use']],
    ['no username', (claims) => delete claims['username']],
    ['username not a string', (claims) => (claims['username'] = ['alice'])],
    ['no scope', (claims) => delete claims['scope']],
    ['scope not a string', (claims) => (claims['scope'] = ['aws.cognito.signin.user.admin'])],
  ];
  for (const [label, edit] of cases) {
    await assertRefused(await resigned(signed, edit), 'NotAuthorizedException', 'Invalid Access Token', label);
  }
});

test('an access token without the aws.cognito.signin.user.admin scope is refused for it', async () => {
  const signed = await signedIn();
  for (const scope of ['openid email', '', 'aws.cognito.signin.user.admin.extra openid']) {
    const token = await resigned(signed, (claims) => (claims['scope'] = scope));
    await assertRefused(token, 'NotAuthorizedException', 'Access Token does not have required scopes', scope);
  }
  await assertAccepted(await resigned(signed, (claims) => (claims['scope'] = 'openid aws.cognito.signin.user.admin')), signed.username);
});

test('the token of a deleted user does not work for a new user of the same name', async () => {
  const signed = await signedIn();
  await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: signed.poolId, Username: signed.username }));
  await server.admin.send(new AdminCreateUserCommand({ UserPoolId: signed.poolId, Username: signed.username, MessageAction: 'SUPPRESS' }));
  await server.admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: signed.poolId, Username: signed.username, Password: PASSWORD, Permanent: true }),
  );
  await assertRefused(signed.token, 'UserNotFoundException', 'User does not exist.');
});

test('after a global sign-out, a token issued before it is revoked even when it names no known family', async () => {
  const signed = await signedIn();
  // A token from before refresh-token families existed: its origin_jti names no family.
  const familyless = await resigned(signed, (claims) => (claims['origin_jti'] = randomUUID()));
  await assertAccepted(familyless, signed.username);
  await clock.travel(1000, async () => {
    await server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: signed.poolId, Username: signed.username }));
    await assertRefused(familyless, 'NotAuthorizedException', 'Access Token has been revoked');
  });
});

test('a token issued later in the same second as a global sign-out still works', async () => {
  const signed = await signedIn();
  const second = Math.floor(clock.now() / 1000) * 1000 + 1000;
  // iat has whole seconds: a token from 700 ms into the second of a sign-out at 500 ms has an
  // iat equal to the sign-out's second, and is not revoked by it.
  await clock.travel(second + 500 - clock.now(), () =>
    server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: signed.poolId, Username: signed.username })),
  );
  await clock.travel(second + 700 - clock.now(), async () => {
    const again = await server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: decodePayload(signed.token)['client_id'] as string,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: signed.username, PASSWORD },
      }),
    );
    const token = again.AuthenticationResult!.AccessToken!;
    assert.equal(decodePayload(token)['iat'], second / 1000);
    await assertAccepted(token, signed.username);
    await assertRefused(signed.token, 'NotAuthorizedException', 'Access Token has been revoked');
  });
});
