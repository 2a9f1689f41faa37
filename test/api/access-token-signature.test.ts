import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import {
  ChangePasswordCommand,
  ConfirmDeviceCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserAuthFactorsCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { CALLBACK, PASSWORD, createClient, createOAuthPool, getManual, sessionCookie, type OAuthPool } from '../oauth/helpers.js';

/*
 * Every operation that takes an AccessToken, and /oauth2/userInfo, must refuse an access token
 * whose claims are all valid but whose signature is not the pool's: re-signed with another key
 * under the pool's own `kid`, or with signature bytes altered. The tokens start from a real one,
 * so only the signature is wrong; the genuine token is shown to work first.
 */

let server: TestServer;
let pool: OAuthPool;
let client: { id: string; secret: string };
let genuine: string;
let forgeries: Array<[label: string, token: string]>;

const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** The token's header and payload, signed RS256 by a key the pool does not have. */
function resigned(token: string): string {
  const [header, payload] = token.split('.') as [string, string];
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(otherKey);
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/** The token with one bit of its signature flipped. */
function altered(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const bytes = Buffer.from(signature, 'base64url');
  bytes[bytes.length >> 1]! ^= 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

function forge(token: string): Array<[string, string]> {
  return [
    ['re-signed with another key', resigned(token)],
    ['signature bytes altered', altered(token)],
  ];
}

before(async () => {
  server = await startTestServer();
  pool = await createOAuthPool(server);
  client = await createClient(server, pool.poolId);
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: client.id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }),
  );
  genuine = signedIn.AuthenticationResult!.AccessToken!;
  forgeries = forge(genuine);
});
after(() => server.stop());

test('the genuine access token is accepted (the control)', async () => {
  assert.equal((await server.anonymous.send(new GetUserCommand({ AccessToken: genuine }))).Username, 'alice');
});

const DEVICE_KEY = 'us-east-1_6a1f3c2e-0b4d-4c8e-9f1a-2b3c4d5e6f70';

/** Each operation that takes an AccessToken, with otherwise valid input. */
const operations: Array<[name: string, send: (token: string) => Promise<unknown>]> = [
  ['GetUser', (AccessToken) => server.anonymous.send(new GetUserCommand({ AccessToken }))],
  [
    'UpdateUserAttributes',
    (AccessToken) =>
      server.anonymous.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'name', Value: 'Mallory' }] })),
  ],
  [
    'DeleteUserAttributes',
    (AccessToken) => server.anonymous.send(new DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ['name'] })),
  ],
  [
    'ChangePassword',
    (AccessToken) =>
      server.anonymous.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: PASSWORD, ProposedPassword: 'Mallory-Horse-1' })),
  ],
  ['DeleteUser', (AccessToken) => server.anonymous.send(new DeleteUserCommand({ AccessToken }))],
  ['GlobalSignOut', (AccessToken) => server.anonymous.send(new GlobalSignOutCommand({ AccessToken }))],
  [
    'GetUserAttributeVerificationCode',
    (AccessToken) => server.anonymous.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' })),
  ],
  [
    'VerifyUserAttribute',
    (AccessToken) => server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: '123456' })),
  ],
  [
    'ConfirmDevice',
    (AccessToken) =>
      server.anonymous.send(
        new ConfirmDeviceCommand({
          AccessToken,
          DeviceKey: DEVICE_KEY,
          DeviceName: 'mallory',
          DeviceSecretVerifierConfig: { PasswordVerifier: 'AAAA', Salt: 'AAAA' },
        }),
      ),
  ],
  ['GetDevice', (AccessToken) => server.anonymous.send(new GetDeviceCommand({ AccessToken, DeviceKey: DEVICE_KEY }))],
  ['ListDevices', (AccessToken) => server.anonymous.send(new ListDevicesCommand({ AccessToken }))],
  ['ForgetDevice', (AccessToken) => server.anonymous.send(new ForgetDeviceCommand({ AccessToken, DeviceKey: DEVICE_KEY }))],
  [
    'UpdateDeviceStatus',
    (AccessToken) =>
      server.anonymous.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey: DEVICE_KEY, DeviceRememberedStatus: 'remembered' })),
  ],
  ['GetUserAuthFactors', (AccessToken) => server.anonymous.send(new GetUserAuthFactorsCommand({ AccessToken }))],
];

for (const [name, send] of operations) {
  test(`${name} refuses an access token with a bad signature`, async () => {
    for (const [label, token] of forgeries) {
      const error = await captureError(() => send(token));
      assert.equal(error.name, 'NotAuthorizedException', `${name}, ${label}: ${error.name} ${error.message}`);
      assert.equal(error.message, 'Invalid Access Token', `${name}, ${label}`);
      assert.equal(error.$metadata?.httpStatusCode, 400, `${name}, ${label}`);
    }
  });
}

test('/oauth2/userInfo refuses an access token with a bad signature', async () => {
  // An access token of the OAuth endpoints (it carries `openid`), from the implicit flow.
  const query = new URLSearchParams({ response_type: 'token', client_id: client.id, redirect_uri: CALLBACK, scope: 'openid email' });
  const authorized = await getManual(`${pool.issuer}/oauth2/authorize?${query.toString()}`, sessionCookie(server, pool, 'alice'));
  assert.equal(authorized.status, 302, authorized.body);
  const oauthToken = new URLSearchParams(new URL(authorized.location).hash.slice(1)).get('access_token');
  assert.ok(oauthToken, authorized.location);

  const userInfo = (token: string) => fetch(`${pool.issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${token}` } });
  const ok = await userInfo(oauthToken);
  assert.equal(ok.status, 200);
  assert.equal(((await ok.json()) as Record<string, unknown>)['username'], 'alice');

  for (const [label, token] of forge(oauthToken)) {
    const refused = await userInfo(token);
    assert.equal(refused.status, 401, label);
    assert.deepEqual(
      await refused.json(),
      { error: 'invalid_token', error_description: 'Access token is expired, disabled, or deleted, or the user has globally signed out.' },
      label,
    );
    assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/, label);
  }
});
