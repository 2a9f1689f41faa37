import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { JWTPayload } from 'jose';
import { serverForTests, type TestServer } from '../support/server.js';
import { FakeUpstream, assertSignedIn, federationPool, refusal, startFederatedSignIn, type FederationSetup } from './fake-upstream.js';

/*
 * What Cognate makes of the upstream's answer (OIDC Core §3.1.3.7, §5.3): the ID token checked
 * against Cognate's clock, the user info endpoint called as the provider's details say, the two
 * sources merged into the attributes the mapping gives the user, and each way that can fail,
 * seen through /oauth2/authorize → upstream → /oauth2/idpresponse → the app's callback.
 */

let server: TestServer;
const clock = serverForTests((started) => (server = started));
let upstream: FakeUpstream;

before(async () => {
  upstream = await FakeUpstream.start();
});
after(() => upstream.close());

/** An OIDC provider under `prefix`, named from it. */
async function oidcProvider(
  prefix: string,
  options: { overrides?: Record<string, string | undefined>; mapping?: Record<string, string> } = {},
): Promise<{ details: Record<string, string>; setup: FederationSetup }> {
  const details = upstream.oidcDetails(prefix, options.overrides);
  const setup = await federationPool(server, {
    name: `Idp${prefix.replace(/\W/g, '')}`,
    type: 'OIDC',
    details,
    ...(options.mapping ? { mapping: options.mapping } : {}),
  });
  return { details, setup };
}

/** Starts a sign-in and has the upstream's token endpoint answer `answer` for it (an ID token made of `idToken` claims). */
async function signIn(
  setup: FederationSetup,
  details: Record<string, string>,
  answer: { accessToken?: string; idToken?: JWTPayload; expiresIn?: number },
): Promise<Record<string, string>> {
  const started = await startFederatedSignIn(setup);
  const json: Record<string, string> = { token_type: 'Bearer' };
  if (answer.accessToken !== undefined) json['access_token'] = answer.accessToken;
  if (answer.idToken !== undefined) {
    const claims = { aud: details['client_id']!, nonce: started.nonce, ...answer.idToken };
    json['id_token'] = await upstream.idToken(clock.now(), claims, answer.expiresIn !== undefined ? { expiresIn: answer.expiresIn } : {});
  }
  upstream.on(new URL(details['token_url']!).pathname, { json });
  return started.finish();
}

async function attributes(setup: FederationSetup, username: string): Promise<Record<string, string | undefined>> {
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: setup.pool.poolId, Username: username }));
  return Object.fromEntries((user.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value]));
}

test("the mapping takes the ID token's claims over user info's, leaves null claims out and gives others as JSON", async () => {
  const { details, setup } = await oidcProvider('/claims', {
    mapping: { email: 'email', name: 'name', nickname: 'flag', locale: 'age', address: 'address', website: 'site' },
  });
  upstream.on('/claims/userinfo', {
    json: {
      sub: 'cat',
      email: 'userinfo@upstream.example',
      name: null,
      flag: true,
      age: 42,
      address: { formatted: '1 Main St', country: 'NL' },
      site: 'https://cat.example',
    },
  });
  assertSignedIn(await signIn(setup, details, { accessToken: 'at-cat', idToken: { sub: 'cat', email: 'cat@upstream.example' } }));
  const { sub: _sub, identities: _identities, ...mapped } = await attributes(setup, 'idpclaims_cat');
  assert.deepEqual(mapped, {
    email: 'cat@upstream.example',
    nickname: 'true',
    locale: '42',
    address: '{"formatted":"1 Main St","country":"NL"}',
    website: 'https://cat.example',
  });
});

test('user info is asked for with the access token, by POST only for an OIDC provider set to POST', async () => {
  const post = await oidcProvider('/ui-post', { overrides: { attributes_request_method: 'POST' } });
  upstream.on('/ui-post/userinfo', { json: { sub: 'dan', email: 'dan@upstream.example' } });
  assertSignedIn(await signIn(post.setup, post.details, { accessToken: 'at-dan', idToken: { sub: 'dan' } }));
  const get = await oidcProvider('/ui-get');
  upstream.on('/ui-get/userinfo', { json: { sub: 'eve', email: 'eve@upstream.example' } });
  assertSignedIn(await signIn(get.setup, get.details, { accessToken: 'at-eve', idToken: { sub: 'eve' } }));

  // Login with Amazon's profile endpoint takes a GET whatever the details say.
  const amazonDetails = {
    client_id: 'cognate-amazon',
    client_secret: 'amazon-secret',
    authorize_scopes: 'profile',
    authorize_url: `${upstream.url}/amazon/ap/oa`,
    token_url: `${upstream.url}/amazon/auth/o2/token`,
    attributes_url: `${upstream.url}/amazon/user/profile`,
    attributes_request_method: 'POST',
  };
  const amazon = await federationPool(server, { name: 'LoginWithAmazon', type: 'LoginWithAmazon', details: amazonDetails });
  upstream.on('/amazon/user/profile', { json: { user_id: 'amzn1.account.FAY', email: 'fay@upstream.example' } });
  assertSignedIn(await signIn(amazon, amazonDetails, { accessToken: 'at-fay' }));
  assert.equal((await attributes(amazon, 'loginwithamazon_amzn1.account.fay'))['email'], 'fay@upstream.example');

  const seen = ['/ui-post/userinfo', '/ui-get/userinfo', '/amazon/user/profile'].map((path) => {
    const [request, ...more] = upstream.requestsTo(path);
    assert.equal(more.length, 0, path);
    return [request!.method, request!.url.search, request!.headers['authorization'], request!.headers['accept']];
  });
  assert.deepEqual(seen, [
    ['POST', '', 'Bearer at-dan', 'application/json'],
    ['GET', '', 'Bearer at-eve', 'application/json'],
    ['GET', '', 'Bearer at-fay', 'application/json'],
  ]);
  assert.equal((await attributes(post.setup, 'idpuipost_dan'))['email'], 'dan@upstream.example');
});

test("Facebook's attributes URL is completed with the user ID claim and the mapped claims", async () => {
  const details = {
    client_id: 'cognate-facebook',
    client_secret: 'facebook-secret',
    authorize_scopes: 'email',
    authorize_url: `${upstream.url}/fb/dialog/oauth`,
    token_url: `${upstream.url}/fb/oauth/access_token`,
    attributes_url: `${upstream.url}/fb/me?fields=`,
  };
  const setup = await federationPool(server, {
    name: 'Facebook',
    type: 'Facebook',
    details,
    mapping: { email: 'email', name: 'name', nickname: 'short_name' },
  });
  upstream.on('/fb/me', { json: { id: '5550001', email: 'gus@upstream.example', name: 'Gus', short_name: 'G' } });
  // Facebook sends an access token and no ID token: all comes from the Graph API.
  assertSignedIn(await signIn(setup, details, { accessToken: 'fb-access' }));
  const [request] = upstream.requestsTo('/fb/me');
  assert.equal(request!.url.search, '?fields=id,email,name,short_name');
  const { sub: _sub, identities: _identities, ...mapped } = await attributes(setup, 'facebook_5550001');
  assert.deepEqual(mapped, { email: 'gus@upstream.example', name: 'Gus', nickname: 'G' });
});

test('an ID token alone signs in, without a call to user info', async () => {
  const { details, setup } = await oidcProvider('/id-only');
  assertSignedIn(await signIn(setup, details, { idToken: { sub: 'hal', email: 'hal@upstream.example' } }));
  assert.equal(upstream.requestsTo('/id-only/userinfo').length, 0);
  assert.equal((await attributes(setup, 'idpidonly_hal'))['email'], 'hal@upstream.example');
});

test('a provider without a user info endpoint signs in from the ID token, and refuses an access token alone', async () => {
  // No attributes_url and the issuer publishes no discovery document: the provider has no user info endpoint.
  const { details, setup } = await oidcProvider('/no-userinfo', { overrides: { attributes_url: undefined } });
  assertSignedIn(await signIn(setup, details, { accessToken: 'at-ida', idToken: { sub: 'ida', email: 'ida@upstream.example' } }));
  assert.equal((await attributes(setup, 'idpnouserinfo_ida'))['email'], 'ida@upstream.example');

  assert.deepEqual(
    await signIn(setup, details, { accessToken: 'at-jon' }),
    refusal('The identity provider returned no id_token and has no attributes endpoint'),
  );
  assert.equal(upstream.requestsTo('/no-userinfo/userinfo').length, 0);
});

test('user info about another subject than the ID token is refused', async () => {
  const { details, setup } = await oidcProvider('/other-sub');
  upstream.on('/other-sub/userinfo', { json: { sub: 'mallory', email: 'mallory@upstream.example' } });
  assert.deepEqual(
    await signIn(setup, details, { accessToken: 'at-kim', idToken: { sub: 'kim' } }),
    refusal('The user info subject does not match the id_token subject'),
  );
});

test('an identity without the user ID claim, or with an empty one, is refused', async () => {
  const details = {
    client_id: 'cognate-amazon',
    client_secret: 'amazon-secret',
    authorize_scopes: 'profile',
    authorize_url: `${upstream.url}/amazon-noid/ap/oa`,
    token_url: `${upstream.url}/amazon-noid/auth/o2/token`,
    attributes_url: `${upstream.url}/amazon-noid/user/profile`,
  };
  const setup = await federationPool(server, { name: 'LoginWithAmazon', type: 'LoginWithAmazon', details });
  for (const profile of [{ email: 'lee@upstream.example' }, { user_id: '', email: 'lee@upstream.example' }]) {
    upstream.on('/amazon-noid/user/profile', { json: profile });
    assert.deepEqual(
      await signIn(setup, details, { accessToken: 'at-lee' }),
      refusal('The identity provider did not return user_id'),
      JSON.stringify(profile),
    );
  }
});

test('an ID token from a provider without a key set or without an issuer is refused', async () => {
  // Login with Amazon has no key set, even when given an issuer.
  const amazonDetails = {
    client_id: 'cognate-amazon',
    client_secret: 'amazon-secret',
    authorize_scopes: 'profile',
    authorize_url: `${upstream.url}/amazon-idt/ap/oa`,
    token_url: `${upstream.url}/amazon-idt/auth/o2/token`,
    attributes_url: `${upstream.url}/amazon-idt/user/profile`,
    oidc_issuer: upstream.url,
  };
  const amazon = await federationPool(server, { name: 'LoginWithAmazon', type: 'LoginWithAmazon', details: amazonDetails });
  upstream.on('/amazon-idt/user/profile', { json: { user_id: 'amzn1.account.MAY' } });
  // A Google preset whose issuer was set empty has a key set but no issuer to check tokens against.
  const googleDetails = {
    client_id: 'cognate-google',
    client_secret: 'google-secret',
    authorize_scopes: 'openid email',
    authorize_url: `${upstream.url}/google-noiss/auth`,
    token_url: `${upstream.url}/google-noiss/token`,
    attributes_url: `${upstream.url}/google-noiss/people/me?personFields=`,
    jwks_uri: `${upstream.url}/google-noiss/jwks`,
    oidc_issuer: '',
  };
  const google = await federationPool(server, { name: 'Google', type: 'Google', details: googleDetails });
  for (const [setup, details] of [
    [amazon, amazonDetails],
    [google, googleDetails],
  ] as const) {
    assert.deepEqual(
      await signIn(setup, details, { accessToken: 'at-may', idToken: { sub: 'may' } }),
      refusal('Unable to verify the id_token: the identity provider has no key set'),
      details.authorize_url,
    );
  }
});

test('a user info endpoint that fails or answers no JSON object is refused with its HTTP status', async () => {
  const { details, setup } = await oidcProvider('/userinfo-fails');
  const cases: Array<[{ status: number; text: string }, string]> = [
    [{ status: 500, text: '{"sub":"ned"}' }, 'HTTP 500'],
    [{ status: 200, text: 'sub=ned' }, 'HTTP 200'],
    [{ status: 200, text: '[{"sub":"ned"}]' }, 'HTTP 200'],
  ];
  for (const [reply, status] of cases) {
    upstream.on('/userinfo-fails/userinfo', reply);
    assert.deepEqual(
      await signIn(setup, details, { accessToken: 'at-ned', idToken: { sub: 'ned' } }),
      refusal(`Error retrieving user attributes from the identity provider: ${status}`),
      JSON.stringify(reply),
    );
  }
});

test("the provider's key set is fetched once for several sign-ins", async () => {
  const { details, setup } = await oidcProvider('/jwks-cache');
  upstream.on('/jwks-cache/userinfo', { json: {} });
  for (const sub of ['oli', 'oli', 'pam']) {
    assertSignedIn(await signIn(setup, details, { accessToken: `at-${sub}`, idToken: { sub } }));
  }
  assert.equal(upstream.requestsTo('/jwks-cache/jwks').length, 1);
});

test("ID tokens are checked against Cognate's clock, with a minute's tolerance for an expired one", async () => {
  const { details, setup } = await oidcProvider('/clock');
  upstream.on('/clock/userinfo', { json: {} });
  assertSignedIn(await signIn(setup, details, { accessToken: 'at', idToken: { sub: 'quin' }, expiresIn: -30 }));
  assert.deepEqual(
    await signIn(setup, details, { accessToken: 'at', idToken: { sub: 'quin' }, expiresIn: -90 }),
    refusal('Expired id_token'),
  );

  // Hours ahead of the real time, a token valid then (and not before) is accepted.
  await clock.travel(3 * 3600_000, async () => {
    const notBefore = Math.floor(clock.now() / 1000) - 60;
    assertSignedIn(await signIn(setup, details, { accessToken: 'at', idToken: { sub: 'rex', nbf: notBefore } }));
  });
});

test('every upstream request, the key set included, is given up after ten seconds', async () => {
  const { details, setup } = await oidcProvider('/timeouts');
  upstream.on('/timeouts/userinfo', { json: {} });
  const timeouts: number[] = [];
  const timeout = AbortSignal.timeout.bind(AbortSignal);
  // The only way to see a timeout without waiting for it: what each fetch's abort signal was made with.
  AbortSignal.timeout = (ms: number) => {
    timeouts.push(ms);
    return timeout(ms);
  };
  try {
    assertSignedIn(await signIn(setup, details, { accessToken: 'at-sam', idToken: { sub: 'sam' } }));
  } finally {
    AbortSignal.timeout = timeout;
  }
  // The token endpoint, the key set and user info.
  assert.equal(upstream.requestsTo('/timeouts/jwks').length, 1);
  assert.deepEqual(timeouts, [10_000, 10_000, 10_000]);
});
