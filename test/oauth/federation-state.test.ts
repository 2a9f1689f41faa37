import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForTests, type TestServer } from '../support/server.js';
import { FakeUpstream, assertSignedIn, federationPool, startFederatedSignIn, type FederationSetup } from './fake-upstream.js';
import { CALLBACK, getManual } from './helpers.js';

/*
 * The sealed state that carries a sign-in through the upstream provider and back to
 * /oauth2/idpresponse: it lasts fifteen minutes to the millisecond, and only state sealed for this
 * pool's federation, whole and well formed, is opened. State that does not open gets the site's
 * error page, never a redirect to the client.
 *
 * The malformed states are sealed here with the server's own master key, as a Cognate of another
 * version (a rolling upgrade keeps state alive for its fifteen minutes) or a bug could have sealed
 * them: each starts from the real state of a sign-in, opened with the federation context, and
 * breaks one field, so the only reason to refuse it is that field.
 */

let server: TestServer;
const clock = serverForTests((started) => (server = started));
let upstream: FakeUpstream;
let setup: FederationSetup;
let details: Record<string, string>;

const STATE_TTL_MS = 15 * 60 * 1000;

before(async () => {
  upstream = await FakeUpstream.start();
});
after(() => upstream.close());

/** One OIDC provider for the file's sign-ins, created by the first test that needs it. */
async function provider(): Promise<void> {
  if (setup !== undefined) return;
  details = upstream.oidcDetails('/state');
  upstream.on('/state/userinfo', { json: {} });
  setup = await federationPool(server, { name: 'StateIdp', type: 'OIDC', details });
}

/** The sealing context of federation state: the purpose and the pool it belongs to. */
function federationContext(poolId: string): string {
  return `federation-state:${poolId}`;
}

/** Starts a sign-in for `sub`: its sealed state, and `answer` to call (at the time of the return) before coming back. */
async function started(sub: string): Promise<{ state: string; answer: () => Promise<void> }> {
  await provider();
  const signIn = await startFederatedSignIn(setup);
  return {
    state: signIn.upstreamAuthorize.searchParams.get('state')!,
    // The upstream's token endpoint answers an ID token for `sub` with this sign-in's nonce, issued now.
    async answer() {
      const idToken = await upstream.idToken(clock.now(), { sub, aud: details['client_id']!, nonce: signIn.nonce });
      upstream.on('/state/token', { json: { access_token: `at-${sub}`, token_type: 'Bearer', id_token: idToken } });
    },
  };
}

/** The browser back at /oauth2/idpresponse with `state`; where Cognate sends it. */
async function comeBack(state: string): Promise<string> {
  const back = new URLSearchParams({ code: 'upstream-code', state });
  const response = await getManual(`${setup.pool.site.baseUrl}/oauth2/idpresponse?${back.toString()}`);
  assert.equal(response.status, 302, response.body);
  return response.location;
}

function assertErrorPage(location: string, message?: string): void {
  assert.equal(location, `${setup.pool.site.baseUrl}/error?error=invalid_request`, message);
}

function assertAtCallback(location: string, message?: string): Record<string, string> {
  const callback = new URL(location);
  assert.equal(callback.origin + callback.pathname, CALLBACK, message ?? location);
  return Object.fromEntries(callback.searchParams);
}

test('state is accepted up to its fifteenth minute and refused from the millisecond it ends', async () => {
  const inTime = await started('una');
  await clock.travel(STATE_TTL_MS - 1, async () => {
    await inTime.answer();
    assertSignedIn(assertAtCallback(await comeBack(inTime.state)));
  });

  const late = await started('una');
  await clock.travel(STATE_TTL_MS, async () => {
    await late.answer();
    assertErrorPage(await comeBack(late.state));
  });
});

test('state sealed for another purpose, or for this purpose and another pool, does not open', async () => {
  const { state, answer } = await started('vic');
  await answer();
  const sealer = server.services.sealer;
  const opened = sealer.openString(state, federationContext(setup.pool.poolId));
  assert.ok(opened, 'the state opens with the federation context of its pool');
  // The same state sealed with the sealer's default context (no purpose), and with another pool's context.
  assertErrorPage(await comeBack(sealer.seal(opened)), 'no purpose');
  const foreignPool = 'us-east-1_Elsewhere';
  assertErrorPage(await comeBack(sealer.seal(opened, federationContext(foreignPool))), 'another pool');

  // State naming another pool, sealed with this pool's context, is refused too.
  const renamed = { ...(JSON.parse(opened) as Record<string, unknown>), poolId: foreignPool };
  assertErrorPage(await comeBack(sealer.seal(JSON.stringify(renamed), federationContext(setup.pool.poolId))), 'poolId');

  // The control: resealed as it was, the state signs in.
  assertSignedIn(assertAtCallback(await comeBack(sealer.seal(opened, federationContext(setup.pool.poolId)))));
});

test('well-sealed state that is not JSON, not an object, or lacks a field of the right type is refused', async () => {
  const { state, answer } = await started('wes');
  await answer();
  const context = federationContext(setup.pool.poolId);
  const sealer = server.services.sealer;
  const real = JSON.parse(sealer.openString(state, context)!) as Record<string, unknown>;
  const farFuture = clock.now() + 24 * 3600_000;

  const broken: Array<[string, string]> = [
    ['not JSON', 'poolId=x'],
    ['JSON null', 'null'],
    ['a string', JSON.stringify(JSON.stringify(real))],
    ['a number', '5'],
    ['an array', JSON.stringify([real])],
    ['providerName missing', JSON.stringify({ ...real, providerName: undefined })],
    ['providerName a number', JSON.stringify({ ...real, providerName: 7 })],
    ['clientId a number', JSON.stringify({ ...real, clientId: 123 })],
    ['expiresAt missing', JSON.stringify({ ...real, expiresAt: undefined })],
    ['expiresAt a string', JSON.stringify({ ...real, expiresAt: String(farFuture) })],
    ['request null', JSON.stringify({ ...real, request: null })],
    ['request a string', JSON.stringify({ ...real, request: JSON.stringify(real['request']) })],
    ['request missing', JSON.stringify({ ...real, request: undefined })],
  ];
  for (const [what, plaintext] of broken) {
    assertErrorPage(await comeBack(sealer.seal(plaintext, context)), what);
  }

  // The control: the real state, resealed unchanged, signs in.
  assertSignedIn(assertAtCallback(await comeBack(sealer.seal(JSON.stringify(real), context))));
});
