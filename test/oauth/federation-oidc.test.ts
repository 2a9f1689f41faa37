import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  InitiateAuthCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as oidc from 'openid-client';
import Provider from 'oidc-provider';
import { SignJWT } from 'jose';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { CALLBACK, WEB_CLIENT, createClient, createOAuthPool, getManual, type OAuthPool } from './helpers.js';

/*
 * End to end through a real upstream OpenID Provider (node-oidc-provider, in this process on a
 * free port, with its development login and consent screens driven by fetch): Cognate's
 * /oauth2/authorize → upstream → /oauth2/idpresponse → the client's callback → token exchange with
 * openid-client.
 */

let server: TestServer;
let pool: OAuthPool;
let client: { id: string; secret: string };
let upstream: Server;
let upstreamUrl: string;

const OIDC_CLIENT = { id: 'cognate-oidc', secret: 'oidc-client-secret-0123456789abcdef' };
const GOOGLE_CLIENT = { id: 'cognate-google', secret: 'google-client-secret-0123456789abcdef' };

before(async () => {
  server = await startTestServer();
  pool = await createOAuthPool(server);
  const idpResponse = `${pool.site.baseUrl}/oauth2/idpresponse`;

  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => response.end();
  upstream = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const provider = new Provider(upstreamUrl, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [idpResponse],
        token_endpoint_auth_method: 'client_secret_post',
      },
      // oidc-provider 9 takes a secret in the form or in Basic for either method, so this cannot show
      // Cognate's Basic retry: upstream-token-exchange.test.ts pins that against an upstream that refuses the form.
      {
        client_id: GOOGLE_CLIENT.id,
        client_secret: GOOGLE_CLIENT.secret,
        redirect_uris: [idpResponse],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_context, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id.toLowerCase()}@upstream.example`, email_verified: true, name: `Upstream ${id}` }),
    }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['upstream-cookie-key-for-tests'] },
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'upstream-1' }] },
  });
  handler = provider.callback();

  await server.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: pool.poolId,
      ProviderName: 'MyOIDC',
      ProviderType: 'OIDC',
      // Endpoints come from the upstream's discovery document.
      ProviderDetails: {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        authorize_scopes: 'openid email profile',
        attributes_request_method: 'GET',
        oidc_issuer: upstreamUrl,
      },
      AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
    }),
  );
  await server.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: pool.poolId,
      ProviderName: 'Google',
      ProviderType: 'Google',
      // The preset pointed at the local provider.
      ProviderDetails: {
        client_id: GOOGLE_CLIENT.id,
        client_secret: GOOGLE_CLIENT.secret,
        authorize_scopes: 'openid email profile',
        authorize_url: `${upstreamUrl}/auth`,
        token_url: `${upstreamUrl}/token`,
        attributes_url: `${upstreamUrl}/me`,
        attributes_url_add_attributes: 'false',
        oidc_issuer: upstreamUrl,
        jwks_uri: `${upstreamUrl}/jwks`,
      },
      AttributeMapping: { email: 'email' },
    }),
  );
  client = await createClient(server, pool.poolId, { SupportedIdentityProviders: ['COGNITO', 'MyOIDC', 'Google'] });
});

after(async () => {
  await server.stop();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

async function discover(): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(pool.issuer), client.id, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

interface Started {
  config: oidc.Configuration;
  verifier: string;
  state: string;
  nonce: string;
  /** Where Cognate sent the browser: the upstream's authorization endpoint. */
  upstreamAuthorize: URL;
}

/** `/oauth2/authorize?identity_provider=...` as an app would send it, up to the redirect to the upstream. */
async function startSignIn(identityProvider: string): Promise<Started> {
  const config = await discover();
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    identity_provider: identityProvider,
  });
  const response = await getManual(url.href);
  assert.equal(response.status, 302, response.body);
  return { config, verifier, state, nonce, upstreamAuthorize: new URL(response.location) };
}

/**
 * Plays the browser at the upstream: follows its redirects with its cookies, signs in as `login`
 * and consents on its development screens, and returns the first URL that leaves it (Cognate's
 * /oauth2/idpresponse).
 */
async function signInUpstream(start: URL, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start.href;
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0]!;
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location')!, url);
      if (next.origin !== upstreamUrl) return next;
      [url, method, body] = [next.href, 'GET', undefined];
      continue;
    }
    const html = await response.text();
    assert.equal(response.status, 200, html);
    const action = /action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    assert.ok(action && prompt, html);
    url = new URL(action, url).href;
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt }).toString();
  }
  throw new Error('the upstream never sent the browser back');
}

/** The whole sign-in through `identityProvider` as `login`, ending with openid-client's token exchange. */
async function federatedTokens(
  identityProvider: string,
  login: string,
): Promise<{ idToken: Record<string, unknown>; accessToken: string }> {
  const started = await startSignIn(identityProvider);
  const back = await signInUpstream(started.upstreamAuthorize, login);
  const response = await getManual(back.href);
  assert.equal(response.status, 302, response.body);
  const callback = new URL(response.location);
  assert.equal(callback.origin + callback.pathname, CALLBACK, response.location);
  const tokens = await oidc.authorizationCodeGrant(started.config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
  });
  return { idToken: tokens.claims()! as Record<string, unknown>, accessToken: tokens.access_token };
}

test('Cognate sends the browser to the upstream with its client ID, our callback, the scopes, sealed state, a nonce and PKCE', async () => {
  const { upstreamAuthorize } = await startSignIn('MyOIDC');
  assert.equal(upstreamAuthorize.origin + upstreamAuthorize.pathname, `${upstreamUrl}/auth`);
  const params = Object.fromEntries(upstreamAuthorize.searchParams);
  assert.deepEqual(Object.keys(params), [
    'client_id',
    'redirect_uri',
    'response_type',
    'scope',
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
  ]);
  assert.equal(params['client_id'], OIDC_CLIENT.id);
  assert.equal(params['redirect_uri'], `${pool.site.baseUrl}/oauth2/idpresponse`);
  assert.equal(params['response_type'], 'code');
  assert.equal(params['scope'], 'openid email profile');
  assert.equal(params['code_challenge_method'], 'S256');
  assert.match(params['code_challenge']!, /^[A-Za-z0-9_-]{43}$/);
  assert.match(params['nonce']!, /^[A-Za-z0-9_-]{43}$/);
  // The state is opaque: the client's own state and redirect URI are not readable in it.
  assert.match(params['state']!, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.ok(!params['state']!.includes('app.example.com'));
});

test('an upstream OIDC sign-in creates <provider>_<sub> in EXTERNAL_PROVIDER with mapped attributes and identities', async () => {
  const { idToken, accessToken } = await federatedTokens('MyOIDC', 'Carol-7');
  // Cognito lowercases the whole federated username.
  assert.equal(idToken['cognito:username'], 'myoidc_carol-7');
  assert.equal(idToken['email'], 'carol-7@upstream.example');
  assert.equal(idToken['email_verified'], true);
  assert.equal(idToken['name'], 'Upstream Carol-7');
  assert.deepEqual(idToken['cognito:groups'], [`${pool.poolId}_MyOIDC`]);
  const identities = idToken['identities'] as Array<Record<string, unknown>>;
  assert.equal(identities.length, 1);
  assert.match(String(identities[0]!['dateCreated']), /^\d{13}$/);
  assert.deepEqual(
    { ...identities[0], dateCreated: 'x' },
    { userId: 'Carol-7', providerName: 'MyOIDC', providerType: 'OIDC', issuer: null, primary: 'true', dateCreated: 'x' },
  );
  assert.equal(JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString())['username'], 'myoidc_carol-7');

  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'myoidc_carol-7' }));
  assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
  assert.equal(user.Enabled, true);
  const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  assert.equal(attributes['sub'], idToken['sub']);
  assert.equal(attributes['email'], 'carol-7@upstream.example');
  assert.deepEqual(JSON.parse(attributes['identities']!), [
    {
      userId: 'Carol-7',
      providerName: 'MyOIDC',
      providerType: 'OIDC',
      issuer: null,
      primary: true,
      dateCreated: Number(identities[0]!['dateCreated']),
    },
  ]);

  // A second sign-in is the same user.
  const again = await federatedTokens('MyOIDC', 'Carol-7');
  assert.equal(again.idToken['sub'], idToken['sub']);
  assert.equal(again.idToken['cognito:username'], 'myoidc_carol-7');

  // Federated users have no password to sign in with.
  const error = await captureError(() =>
    server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: client.id,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'myoidc_carol-7', PASSWORD: 'anything-1A!' },
      }),
    ),
  );
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, 'Incorrect username or password.');
});

test('an identity linked with AdminLinkProviderForUser signs in as the native user', async () => {
  await server.admin.send(
    new AdminLinkProviderForUserCommand({
      UserPoolId: pool.poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'alice' },
      SourceUser: { ProviderName: 'MyOIDC', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'dave' },
    }),
  );
  const { idToken } = await federatedTokens('MyOIDC', 'dave');
  assert.equal(idToken['cognito:username'], 'alice');
  const alice = await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'alice' }));
  assert.equal(alice.UserStatus, 'CONFIRMED');
  assert.equal(idToken['sub'], alice.UserAttributes?.find((a) => a.Name === 'sub')?.Value);
  assert.deepEqual(
    (idToken['identities'] as Array<Record<string, unknown>>).map((entry) => [entry['providerName'], entry['userId'], entry['primary']]),
    [['MyOIDC', 'dave', 'false']],
  );
  // The mapping refreshed the native user's attributes.
  assert.equal(idToken['email'], 'dave@upstream.example');
  const federated = await captureError(() =>
    server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'myoidc_dave' })),
  );
  assert.equal(federated.name, 'UserNotFoundException');
});

test('a social preset (Google) pointed at the local provider signs in', async () => {
  const { idToken } = await federatedTokens('Google', 'erin');
  assert.equal(idToken['cognito:username'], 'google_erin');
  assert.equal(idToken['email'], 'erin@upstream.example');
  assert.deepEqual(
    (idToken['identities'] as Array<Record<string, unknown>>).map((entry) => [
      entry['providerName'],
      entry['providerType'],
      entry['userId'],
    ]),
    [['Google', 'Google', 'erin']],
  );
});

test('tampered, foreign or reused state gets the error page, never a redirect to the client', async () => {
  const started = await startSignIn('MyOIDC');
  const back = await signInUpstream(started.upstreamAuthorize, 'frank');
  const state = back.searchParams.get('state')!;
  const errorPage = `${pool.site.baseUrl}/error?error=invalid_request`;

  const tampered = new URL(back);
  tampered.searchParams.set('state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`);
  for (const url of [
    tampered.href,
    `${pool.site.baseUrl}/oauth2/idpresponse?code=x`,
    `${pool.site.baseUrl}/oauth2/idpresponse?state=junk&code=x`,
  ]) {
    const response = await getManual(url);
    assert.equal(response.status, 302);
    assert.equal(response.location, errorPage, url);
  }
  // Another pool's site cannot open this pool's state.
  const other = await createOAuthPool(server);
  const foreign = await getManual(`${other.site.baseUrl}/oauth2/idpresponse?${back.searchParams.toString()}`);
  assert.equal(foreign.location, `${other.site.baseUrl}/error?error=invalid_request`);

  const first = await getManual(back.href);
  assert.equal(new URL(first.location).origin + new URL(first.location).pathname, CALLBACK);
  const replay = await getManual(back.href);
  assert.equal(replay.status, 302);
  assert.match(replay.location, /\/error\?error=invalid_request&client_id=/);
});

test('an ID token with another nonce is refused back to the client, with its state', async () => {
  const started = await startSignIn('MyOIDC');
  const forged = new URL(started.upstreamAuthorize);
  forged.searchParams.set('nonce', 'not-the-nonce-cognate-sent');
  const back = await signInUpstream(forged, 'grace');
  const response = await getManual(back.href);
  assert.equal(response.status, 302);
  const callback = new URL(response.location);
  assert.equal(callback.origin + callback.pathname, CALLBACK);
  assert.deepEqual(Object.fromEntries(callback.searchParams), {
    error_description: 'Bad id_token nonce',
    error: 'invalid_request',
    state: started.state,
  });
  const missing = await captureError(() =>
    server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'myoidc_grace' })),
  );
  assert.equal(missing.name, 'UserNotFoundException');
});

test('an upstream error goes back to the client redirect URI with the client state', async () => {
  const started = await startSignIn('MyOIDC');
  const state = started.upstreamAuthorize.searchParams.get('state')!;
  const query = new URLSearchParams({ error: 'access_denied', error_description: 'The user cancelled', state });
  const response = await getManual(`${pool.site.baseUrl}/oauth2/idpresponse?${query.toString()}`);
  assert.equal(response.status, 302);
  const callback = new URL(response.location);
  assert.equal(callback.origin + callback.pathname, CALLBACK);
  assert.deepEqual(Object.fromEntries(callback.searchParams), {
    error_description: 'The user cancelled',
    error: 'access_denied',
    state: started.state,
  });

  // An error code outside RFC 6749's list is not passed on as is.
  const other = await startSignIn('MyOIDC');
  const odd = new URLSearchParams({ error: 'weird<script>', state: other.upstreamAuthorize.searchParams.get('state')! });
  const oddResponse = await getManual(`${pool.site.baseUrl}/oauth2/idpresponse?${odd.toString()}`);
  const oddCallback = new URL(oddResponse.location);
  assert.equal(oddCallback.origin + oddCallback.pathname, CALLBACK);
  assert.equal(oddCallback.searchParams.get('error'), 'server_error');
});

test('a provider the client does not support is refused at /oauth2/authorize', async () => {
  const narrow = await createClient(server, pool.poolId, { SupportedIdentityProviders: ['COGNITO'] });
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: narrow.id,
    redirect_uri: CALLBACK,
    scope: 'openid',
    identity_provider: 'MyOIDC',
    state: 's1',
  });
  const response = await getManual(`${pool.issuer}/oauth2/authorize?${query.toString()}`);
  assert.equal(response.status, 302);
  assert.equal(response.location, `${CALLBACK}?error=invalid_request&state=s1`);
});

/*
 * Forged upstream ID tokens. A second, hand-made upstream ("Forge") whose token endpoint answers
 * whatever ID token the test sets, and whose key set publishes only the provider's real key: each
 * forgery breaks one rule of OIDC Core §3.1.3.7 and must be refused with its own reason, while a
 * control token made the same way signs in. This proves each check (signature, issuer, audience,
 * expiry) is made, not only that a real provider's tokens pass.
 */
describe('forged upstream ID tokens', () => {
  const FORGE_CLIENT = 'cognate-forge';
  const realKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let forge: Server;
  let forgeUrl: string;
  let nextIdToken = '';

  before(async () => {
    forge = createServer((request, response) => {
      if (request.url === '/jwks') {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({ keys: [{ ...realKey.publicKey.export({ format: 'jwk' }), kid: 'forge-1', alg: 'RS256', use: 'sig' }] }),
        );
      } else if (request.url === '/userinfo') {
        // Nothing beyond the ID token: what Cognate learns about the user comes from the token alone.
        response.setHeader('content-type', 'application/json');
        response.end('{}');
      } else if (request.url === '/token' && request.method === 'POST') {
        request.resume();
        request.on('end', () => {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ access_token: 'forge-access', token_type: 'Bearer', id_token: nextIdToken }));
        });
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => forge.listen(0, '127.0.0.1', resolve));
    forgeUrl = `http://127.0.0.1:${(forge.address() as AddressInfo).port}`;
    await server.admin.send(
      new CreateIdentityProviderCommand({
        UserPoolId: pool.poolId,
        ProviderName: 'Forge',
        ProviderType: 'OIDC',
        ProviderDetails: {
          client_id: FORGE_CLIENT,
          client_secret: 'forge-client-secret',
          authorize_scopes: 'openid',
          attributes_request_method: 'GET',
          oidc_issuer: forgeUrl,
          authorize_url: `${forgeUrl}/auth`,
          token_url: `${forgeUrl}/token`,
          attributes_url: `${forgeUrl}/userinfo`,
          jwks_uri: `${forgeUrl}/jwks`,
        },
        AttributeMapping: { email: 'email' },
      }),
    );
    await server.admin.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: pool.poolId,
        ClientId: client.id,
        ...WEB_CLIENT,
        SupportedIdentityProviders: ['COGNITO', 'MyOIDC', 'Google', 'Forge'],
      }),
    );
  });
  after(async () => {
    forge.closeAllConnections();
    await new Promise((resolve) => forge.close(resolve));
  });

  interface Forgery {
    key?: KeyObject;
    issuer?: string;
    audience?: string | string[];
    /** Seconds from now. */
    expiresIn?: number;
    /** Flips a byte of the signature after signing. */
    alterSignature?: boolean;
    /** Re-signs the token: `none` leaves it unsigned, `HS256` MACs it with the provider's public key (PEM) as the secret. */
    algorithm?: 'none' | 'HS256';
  }

  function base64urlJson(value: unknown): string {
    return Buffer.from(JSON.stringify(value)).toString('base64url');
  }

  /** An ID token for `sub` with the nonce Cognate sent, made by the real key unless `forgery` says otherwise. */
  async function idToken(sub: string, nonce: string, forgery: Forgery = {}): Promise<string> {
    const now = Math.floor(server.services.clock.now() / 1000);
    const token = await new SignJWT({ nonce, email: `${sub}@forge.example` })
      .setProtectedHeader({ alg: 'RS256', kid: 'forge-1' })
      .setIssuer(forgery.issuer ?? forgeUrl)
      .setAudience(forgery.audience ?? FORGE_CLIENT)
      .setSubject(sub)
      .setIssuedAt(now - 600)
      .setExpirationTime(now + (forgery.expiresIn ?? 300))
      .sign(forgery.key ?? realKey.privateKey);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    if (forgery.algorithm === 'none') return `${base64urlJson({ alg: 'none' })}.${payload}.`;
    if (forgery.algorithm === 'HS256') {
      const hsHeader = base64urlJson({ alg: 'HS256', kid: 'forge-1' });
      const secret = realKey.publicKey.export({ format: 'pem', type: 'spki' });
      return `${hsHeader}.${payload}.${createHmac('sha256', secret).update(`${hsHeader}.${payload}`).digest('base64url')}`;
    }
    if (!forgery.alterSignature) return token;
    const bytes = Buffer.from(signature, 'base64url');
    bytes[bytes.length >> 1]! ^= 0x01;
    return `${header}.${payload}.${bytes.toString('base64url')}`;
  }

  /** Signs in through Forge, whose token endpoint answers the ID token `forge` makes; returns the redirect to the client. */
  async function signInWith(sub: string, forgery?: Forgery): Promise<{ callback: URL; state: string }> {
    const started = await startSignIn('Forge');
    assert.equal(started.upstreamAuthorize.origin, forgeUrl);
    nextIdToken = await idToken(sub, started.upstreamAuthorize.searchParams.get('nonce')!, forgery);
    const back = new URLSearchParams({ code: 'any-code', state: started.upstreamAuthorize.searchParams.get('state')! });
    const response = await getManual(`${pool.site.baseUrl}/oauth2/idpresponse?${back.toString()}`);
    assert.equal(response.status, 302, response.body);
    const callback = new URL(response.location);
    assert.equal(callback.origin + callback.pathname, CALLBACK);
    return { callback, state: started.state };
  }

  async function assertRefused(sub: string, forgery: Forgery, description: string): Promise<void> {
    const { callback, state } = await signInWith(sub, forgery);
    assert.deepEqual(Object.fromEntries(callback.searchParams), { error_description: description, error: 'invalid_request', state });
    const missing = await captureError(() =>
      server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: `forge_${sub}` })),
    );
    assert.equal(missing.name, 'UserNotFoundException');
  }

  test('a token signed by the provider key, for us, from the provider, in date, signs in (the control)', async () => {
    const { callback } = await signInWith('honest');
    assert.ok(callback.searchParams.get('code'), callback.href);
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'forge_honest' }));
    assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
  });

  test('a token signed with a key the provider does not publish is refused', async () => {
    await assertRefused('wrongkey', { key: otherKey.privateKey }, 'Invalid id_token signature');
  });

  test('a token whose signature bytes were altered is refused', async () => {
    await assertRefused('altered', { alterSignature: true }, 'Invalid id_token signature');
  });

  test('an unsigned token, or one MACed with the provider public key as an HS256 secret, is refused', async () => {
    await assertRefused('unsigned', { algorithm: 'none' }, 'Invalid id_token signature');
    await assertRefused('confused', { algorithm: 'HS256' }, 'Invalid id_token signature');
  });

  test('a token from another issuer is refused', async () => {
    await assertRefused('wrongiss', { issuer: 'https://evil.example' }, 'Bad id_token issuer https://evil.example');
  });

  test('a token for another audience is refused', async () => {
    await assertRefused('wrongaud', { audience: 'someone-else' }, 'Bad id_token audience');
  });

  test('a token for several audiences signs in when ours is one of them, and is refused when none is', async () => {
    const { callback } = await signInWith('manyaud', { audience: ['someone-else', FORGE_CLIENT] });
    assert.ok(callback.searchParams.get('code'), callback.href);
    await assertRefused('otheraud', { audience: ['someone-else', `${FORGE_CLIENT}-2`] }, 'Bad id_token audience');
  });

  test('a token whose audience only contains our client ID in a longer string is refused', async () => {
    await assertRefused('longeraud', { audience: `${FORGE_CLIENT}-evil` }, 'Bad id_token audience');
    await assertRefused('shorteraud', { audience: FORGE_CLIENT.slice(0, -1) }, 'Bad id_token audience');
  });

  test('an expired token is refused', async () => {
    await assertRefused('expired', { expiresIn: -120 }, 'Expired id_token');
  });
});
