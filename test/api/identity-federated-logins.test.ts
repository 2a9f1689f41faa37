import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { identityClients, verifyOpenIdToken } from './identity-fixtures.js';

/*
 * Identity pool logins of providers outside Cognate: an OIDC provider listed by IAM ARN (a tiny
 * issuer on loopback, its discovery and key set served here) and the four social providers, whose
 * verification endpoints the COGNATE_SOCIAL_*_URL settings point at the same local server.
 */

const { privateKey, publicKey } = await generateKeyPair('RS256');
const { privateKey: strangerKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };

/** Facebook users by access token, and the app each token was issued to. */
const FACEBOOK_TOKENS: Record<string, { id: string; app: string }> = {
  'fb-good': { id: '10001', app: 'fb-app' },
  'fb-other-app': { id: '10002', app: 'another-app' },
};
/** Login with Amazon tokens, as its tokeninfo endpoint describes them. */
const AMAZON_TOKENS: Record<string, { user_id: string; app_id: string }> = {
  'amzn-good': { user_id: 'amzn1.account.ALICE', app_id: 'amzn1.application.app' },
};

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const upstream = createServer((request: IncomingMessage, response: ServerResponse) => {
  const url = new URL(request.url ?? '/', 'http://upstream');
  const token = url.searchParams.get('access_token') ?? '';
  switch (url.pathname) {
    case '/oidc/.well-known/openid-configuration':
      return send(response, 200, { issuer: `${base}/oidc`, jwks_uri: `${base}/oidc/jwks` });
    case '/oidc/jwks':
    case '/google/certs':
    case '/apple/keys':
      return send(response, 200, { keys: [jwk] });
    case '/facebook/me': {
      if (token === 'fb-expired') return send(response, 400, { error: { code: 190, error_subcode: 463, message: 'Session has expired' } });
      const user = FACEBOOK_TOKENS[token];
      return user
        ? send(response, 200, { id: user.id })
        : send(response, 400, { error: { code: 190, message: 'Invalid OAuth access token' } });
    }
    case '/facebook/app': {
      const user = FACEBOOK_TOKENS[token];
      return user ? send(response, 200, { id: user.app }) : send(response, 400, { error: { code: 190 } });
    }
    case '/amazon/tokeninfo': {
      const info = AMAZON_TOKENS[token];
      return info
        ? send(response, 200, { iss: 'https://www.amazon.com', aud: 'amzn1.oa2-client.x', exp: 3000, ...info })
        : send(response, 400, { error: 'invalid_token', error_description: 'The request has an invalid parameter : access_token' });
    }
    default:
      return send(response, 404, {});
  }
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
after(() => {
  upstream.closeAllConnections();
  upstream.close();
});
const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
const OIDC_PROVIDER = `${base.slice('http://'.length)}/oidc`;
const OIDC_ARN = `arn:aws:iam::000000000000:oidc-provider/${OIDC_PROVIDER}`;

let server: TestServer;
let identity: CognitoIdentityClient;
let unsigned: CognitoIdentityClient;
const clock = serverForTests(
  (started) => {
    server = started;
    ({ identity, unsigned } = identityClients(server));
  },
  {
    socialGoogleUrl: `${base}/google/certs`,
    socialAppleUrl: `${base}/apple/keys`,
    socialFacebookUrl: `${base}/facebook`,
    socialAmazonUrl: `${base}/amazon/tokeninfo`,
  },
);

const SIGNED_IN = 'arn:aws:iam::000000000000:role/federated-signed-in';

let ready: Promise<string> | undefined;
/** An identity pool listing the OIDC provider and the four social providers, without guests. */
function pool(): Promise<string> {
  return (ready ??= (async () => {
    const { IdentityPoolId } = await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'federated',
        AllowUnauthenticatedIdentities: false,
        OpenIdConnectProviderARNs: [OIDC_ARN],
        SupportedLoginProviders: {
          'accounts.google.com': 'google-app.apps.googleusercontent.com',
          'appleid.apple.com': 'com.example.app',
          'graph.facebook.com': 'fb-app',
          'www.amazon.com': 'amzn1.application.app',
        },
      }),
    );
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: SIGNED_IN } }));
    return IdentityPoolId!;
  })());
}

/** An ID token signed by `key` (the issuer's own by default), an hour long from the server's clock. */
async function idToken(claims: JWTPayload, key = privateKey): Promise<string> {
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT({ exp: now + 3600, ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt(now).sign(key);
}

async function credentialsFor(logins: Record<string, string>) {
  const IdentityPoolId = await pool();
  const { IdentityId } = await unsigned.send(new GetIdCommand({ IdentityPoolId, Logins: logins }));
  const answer = await unsigned.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
  const session = await server.services.store.stsSessions.get(answer.Credentials!.AccessKeyId!);
  return { identityId: IdentityId!, session };
}

async function refusal(logins: Record<string, string>): Promise<{ name: string; message: string; status: number | undefined }> {
  const IdentityPoolId = await pool();
  const error = await captureError(() => unsigned.send(new GetIdCommand({ IdentityPoolId, Logins: logins })));
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

test('an ID token of an OIDC provider the pool lists by ARN gets credentials through fromCognitoIdentityPool, one identity per subject', async () => {
  const identityPoolId = await pool();
  const token = await idToken({ iss: `${base}/oidc`, sub: 'oidc-user-1', aud: 'any-client' });
  const credentials = fromCognitoIdentityPool({
    identityPoolId,
    logins: { [OIDC_PROVIDER]: token },
    clientConfig: { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 },
  });
  const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const caller = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(caller.Arn, 'arn:aws:sts::000000000000:assumed-role/federated-signed-in/CognitoIdentityCredentials');
  } finally {
    sts.destroy();
  }
  const { identityId, session } = await credentialsFor({ [OIDC_PROVIDER]: token });
  assert.equal(session?.roleArn, SIGNED_IN);
  assert.deepEqual((await server.services.store.identities.get(identityId))?.logins, [
    { providerName: OIDC_PROVIDER, subject: 'oidc-user-1' },
  ]);
  // The OpenID token names the login in its amr.
  const { Token } = await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: identityId, Logins: { [OIDC_PROVIDER]: token } }));
  const claims = await verifyOpenIdToken(server, clock, Token!, identityPoolId);
  assert.deepEqual(claims['amr'], ['authenticated', OIDC_PROVIDER, `${OIDC_PROVIDER}:oidc-user-1`]);
});

test('OIDC logins with a wrong issuer, a foreign signature, an expired token or no JWT at all are refused with Cognito texts', async () => {
  const issuer = `${base}/oidc`;
  assert.deepEqual(await refusal({ [OIDC_PROVIDER]: await idToken({ iss: 'https://elsewhere.example', sub: 'u' }) }), {
    name: 'NotAuthorizedException',
    message: "Invalid login token. Issuer doesn't match providerName",
    status: 400,
  });
  assert.deepEqual(await refusal({ [OIDC_PROVIDER]: await idToken({ iss: issuer, sub: 'u' }, strangerKey) }), {
    name: 'NotAuthorizedException',
    message: "Invalid login token. Couldn't verify signed token.",
    status: 400,
  });
  const now = Math.floor(clock.now() / 1000);
  assert.deepEqual(await refusal({ [OIDC_PROVIDER]: await idToken({ iss: issuer, sub: 'u', exp: now - 1 }) }), {
    name: 'NotAuthorizedException',
    message: `Invalid login token. Token expired: ${now} >= ${now - 1}`,
    status: 400,
  });
  assert.deepEqual(await refusal({ [OIDC_PROVIDER]: 'not-a-jwt' }), {
    name: 'NotAuthorizedException',
    message: 'Invalid login token. Not a valid OpenId Connect identity token.',
    status: 400,
  });
  // A provider the pool does not list.
  assert.deepEqual(await refusal({ 'oidc.unlisted.example': await idToken({ iss: 'https://oidc.unlisted.example', sub: 'u' }) }), {
    name: 'NotAuthorizedException',
    message: 'Token is not from a supported provider of this identity pool.',
    status: 400,
  });
});

test('Google and Apple ID tokens for the configured app ids get credentials; another audience is not a supported provider', async () => {
  const google = await idToken({ iss: 'https://accounts.google.com', sub: 'g-1', aud: 'google-app.apps.googleusercontent.com' });
  const fromGoogle = await credentialsFor({ 'accounts.google.com': google });
  assert.equal(fromGoogle.session?.roleArn, SIGNED_IN);
  assert.equal(fromGoogle.session?.subject, fromGoogle.identityId);
  const apple = await idToken({ iss: 'https://appleid.apple.com', sub: 'a-1', aud: 'com.example.app' });
  const fromApple = await credentialsFor({ 'appleid.apple.com': apple });
  assert.deepEqual((await server.services.store.identities.get(fromApple.identityId))?.logins, [
    { providerName: 'appleid.apple.com', subject: 'a-1' },
  ]);
  assert.deepEqual(
    await refusal({ 'accounts.google.com': await idToken({ iss: 'https://accounts.google.com', sub: 'g-2', aud: 'other-app' }) }),
    {
      name: 'NotAuthorizedException',
      message: 'Token is not from a supported provider of this identity pool.',
      status: 400,
    },
  );
  assert.deepEqual(
    await refusal({ 'appleid.apple.com': await idToken({ iss: 'https://accounts.google.com', sub: 'a-2', aud: 'com.example.app' }) }),
    {
      name: 'NotAuthorizedException',
      message: "Invalid login token. Issuer doesn't match providerName",
      status: 400,
    },
  );
});

test('Facebook and Amazon access tokens are checked against their APIs: the right app gets credentials, others are refused', async () => {
  const facebook = await credentialsFor({ 'graph.facebook.com': 'fb-good' });
  assert.deepEqual((await server.services.store.identities.get(facebook.identityId))?.logins, [
    { providerName: 'graph.facebook.com', subject: '10001' },
  ]);
  const amazon = await credentialsFor({ 'www.amazon.com': 'amzn-good' });
  assert.deepEqual((await server.services.store.identities.get(amazon.identityId))?.logins, [
    { providerName: 'www.amazon.com', subject: 'amzn1.account.ALICE' },
  ]);
  assert.deepEqual(await refusal({ 'graph.facebook.com': 'fb-other-app' }), {
    name: 'NotAuthorizedException',
    message: 'Token is not from a supported provider of this identity pool.',
    status: 400,
  });
  assert.deepEqual(await refusal({ 'graph.facebook.com': 'fb-expired' }), {
    name: 'NotAuthorizedException',
    message: 'Invalid login token. Token is expired.',
    status: 400,
  });
  assert.deepEqual(await refusal({ 'www.amazon.com': 'amzn-unknown' }), {
    name: 'NotAuthorizedException',
    message: 'Invalid login token. The access token is not valid.',
    status: 400,
  });
});
