import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminGetUserCommand, UpdateUserPoolCommand, type LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { functionArn, moduleFunctions } from '../support/functions.js';
import {
  FakeUpstream,
  assertSignedIn,
  federationPool,
  refusal,
  startFederatedSignIn,
  type FederationSetup,
} from '../oauth/fake-upstream.js';
import { eventRecorder } from './recording.js';

/*
 * PreSignUp_ExternalProvider, and pre and post authentication on later sign-ins: the first sign-in of an upstream identity creates its user through
 * the pre sign-up trigger, seen through /oauth2/authorize → upstream → /oauth2/idpresponse → the
 * app's callback.
 */

const events = eventRecorder();
/** A handler that records its event and changes nothing. */
function recordOnly(name: string): string {
  return `${events.source(name)}export const handler = async (event) => { record(event); return event; };`;
}
const functions = moduleFunctions({
  'pre-sign-up': `${events.source('pre-sign-up')}export const handler = async (event) => {
  record(event);
  if (event.request.userAttributes.email.endsWith('@blocked.example')) throw new Error('Registration from this domain is not allowed.');
  event.response.autoConfirmUser = true;
  event.response.autoVerifyEmail = true;
  return event;
};`,
  // AWS's pre authentication example, denying one domain; the post authentication one logs.
  'pre-auth': `${events.source('pre-auth')}export const handler = async (event) => {
  record(event);
  if (event.request.userAttributes.email?.endsWith('@suspended.example')) throw new Error('This account is suspended');
  return event;
};`,
  'post-confirmation': recordOnly('post-confirmation'),
  'post-auth': recordOnly('post-auth'),
});

let server: TestServer;
const clock = serverForTests((started) => (server = started), { functions });
let upstream: FakeUpstream;
before(async () => {
  upstream = await FakeUpstream.start();
});
after(() => upstream.close());

/**
 * A pool federating with an OIDC provider the fake upstream serves under `path`, with `lambdaConfig`,
 * and the sign-in of an upstream identity there, from /oauth2/authorize to the app's callback.
 */
async function oidcFederation(
  path: string,
  name: string,
  lambdaConfig: LambdaConfigType,
): Promise<{ setup: FederationSetup; signIn: (sub: string, email: string) => Promise<Record<string, string>> }> {
  const details = upstream.oidcDetails(path);
  const setup = await federationPool(server, { name, type: 'OIDC', details, mapping: { email: 'email' } });
  await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: setup.pool.poolId, LambdaConfig: lambdaConfig }));
  const signIn = async (sub: string, email: string): Promise<Record<string, string>> => {
    const started = await startFederatedSignIn(setup);
    const idToken = await upstream.idToken(clock.now(), { sub, email, aud: details['client_id']!, nonce: started.nonce });
    upstream.on(`${path}/token`, { json: { token_type: 'Bearer', access_token: `at-${sub}`, id_token: idToken } });
    upstream.on(`${path}/userinfo`, { json: { sub, email } });
    return started.finish();
  };
  return { setup, signIn };
}

test("an upstream identity's first sign-in fires PreSignUp_ExternalProvider; a refusal creates no user", async () => {
  const { setup, signIn } = await oidcFederation('/first', 'Upstream', { PreSignUp: functionArn('pre-sign-up') });

  assertSignedIn(await signIn('u-1', 'una@upstream.example'));
  assert.deepEqual(events.last('pre-sign-up'), {
    version: '1',
    triggerSource: 'PreSignUp_ExternalProvider',
    region: 'us-east-1',
    userPoolId: setup.pool.poolId,
    userName: 'upstream_u-1',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: setup.clientId },
    request: { userAttributes: { email: 'una@upstream.example' }, validationData: null },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: setup.pool.poolId, Username: 'upstream_u-1' }));
  // autoConfirmUser does not apply to a federated user; autoVerifyEmail does.
  assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
  assert.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');

  // The next sign-in finds the user: no second pre sign-up.
  const count = events.received('pre-sign-up').length;
  assertSignedIn(await signIn('u-1', 'una@upstream.example'));
  assert.equal(events.received('pre-sign-up').length, count);

  assert.deepEqual(
    await signIn('u-2', 'bo@blocked.example'),
    refusal('PreSignUp failed with error Registration from this domain is not allowed..'),
  );
  const missing = await captureError(() =>
    server.admin.send(new AdminGetUserCommand({ UserPoolId: setup.pool.poolId, Username: 'upstream_u-2' })),
  );
  assert.equal(missing.name, 'UserNotFoundException');
});

test('a returning federated user fires pre and post authentication, as AWS lists for federated sign-ins; the first sign-in fires neither', async () => {
  const { setup, signIn } = await oidcFederation('/again', 'Again', {
    PreAuthentication: functionArn('pre-auth'),
    PostAuthentication: functionArn('post-auth'),
  });
  const forPool = (name: string): Record<string, unknown>[] =>
    events.received(name).filter((event) => event['userPoolId'] === setup.pool.poolId);

  // The first sign-in creates the user (sign-up): no authentication trigger.
  assertSignedIn(await signIn('r-1', 'ray@upstream.example'));
  assert.equal(forPool('pre-auth').length, 0);
  assert.equal(forPool('post-auth').length, 0);

  // Signing in again: both, with the user's attributes, for the app client.
  assertSignedIn(await signIn('r-1', 'ray@upstream.example'));
  const [pre] = forPool('pre-auth');
  const [post] = forPool('post-auth');
  assert.equal(pre?.['triggerSource'], 'PreAuthentication_Authentication');
  assert.equal(pre?.['userName'], 'again_r-1');
  assert.deepEqual(pre?.['callerContext'], { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: setup.clientId });
  const preAttributes = (pre?.['request'] as { userAttributes: Record<string, string> }).userAttributes;
  assert.equal(preAttributes['email'], 'ray@upstream.example');
  assert.equal(preAttributes['cognito:user_status'], 'EXTERNAL_PROVIDER');
  assert.equal(post?.['triggerSource'], 'PostAuthentication_Authentication');
  assert.equal(post?.['userName'], 'again_r-1');
  assert.equal((post?.['request'] as { newDeviceUsed: boolean }).newDeviceUsed, false);

  // A refusal reaches the app's callback as the pre sign-up refusal does, and runs no post authentication.
  assertSignedIn(await signIn('r-2', 'sue@suspended.example'));
  assert.deepEqual(await signIn('r-2', 'sue@suspended.example'), refusal('PreAuthentication failed with error This account is suspended.'));
  assert.equal(forPool('pre-auth').length, 2);
  assert.equal(forPool('post-auth').length, 1);
});

test('the first sign-in of a federated user fires PostConfirmation_ConfirmSignUp after pre sign-up; later ones do not', async () => {
  const { setup, signIn } = await oidcFederation('/confirm', 'Confirm', {
    PreSignUp: functionArn('pre-sign-up'),
    PostConfirmation: functionArn('post-confirmation'),
  });
  const confirmations = (): Record<string, unknown>[] =>
    events.received('post-confirmation').filter((event) => event['userPoolId'] === setup.pool.poolId);

  assertSignedIn(await signIn('c-1', 'cat@upstream.example'));
  const [confirmed] = confirmations();
  assert.equal(confirmed?.['triggerSource'], 'PostConfirmation_ConfirmSignUp');
  assert.equal(confirmed?.['userName'], 'confirm_c-1');
  assert.deepEqual(confirmed?.['callerContext'], { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: setup.clientId });
  const attributes = (confirmed?.['request'] as { userAttributes: Record<string, string> }).userAttributes;
  assert.equal(attributes['email'], 'cat@upstream.example');
  assert.equal(attributes['cognito:user_status'], 'EXTERNAL_PROVIDER');
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: setup.pool.poolId, Username: 'confirm_c-1' }));
  assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');

  assertSignedIn(await signIn('c-1', 'cat@upstream.example'));
  assert.equal(confirmations().length, 1);
});
