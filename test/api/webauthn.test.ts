import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompleteWebAuthnRegistrationCommand,
  GetUserAuthFactorsCommand,
  CreateUserPoolDomainCommand,
  DeleteWebAuthnCredentialCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  StartWebAuthnRegistrationCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { SoftwareAuthenticator, type RegistrationResponseJson } from '../support/webauthn-authenticator.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { withWebAuthnConfiguration } from '../../src/domain/webauthn-config.js';
import type { WebAuthnConfigurationType } from '../../src/generated/cognito-idp/shapes.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser, type TestClient } from './auth-fixtures.js';

/*
 * Passkeys through the AWS SDK v3: registration (Start/CompleteWebAuthnRegistration), listing and
 * deleting, and the WEB_AUTHN first factor of USER_AUTH, answered by a software authenticator
 * (test/support/webauthn-authenticator.ts: ES256 keys, "none" attestation).
 */

const RP_ID = 'example.com';
const ORIGIN = 'https://app.example.com';
const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let client: TestClient;
let otherClient: TestClient;

/** Sets a pool's passkey settings the way SetUserPoolMfaConfig stores them. */
async function configurePasskeys(id: string, settings: WebAuthnConfigurationType): Promise<void> {
  const pool = (await server.services.store.pools.get(id))!;
  await server.services.store.pools.update({ ...pool, config: withWebAuthnConfiguration(pool.config, settings) });
}

async function passkeyPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  return createPool(server, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } }, ...input });
}

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await passkeyPool();
  await configurePasskeys(poolId, { RelyingPartyId: RP_ID, UserVerification: 'preferred' });
  client = await createClient(server, poolId, { ExplicitAuthFlows: [...FLOWS] });
  otherClient = await createClient(server, poolId, { ExplicitAuthFlows: [...FLOWS] });
});
after(() => server.stop());

let counter = 0;
async function newUser(pool = poolId): Promise<string> {
  counter += 1;
  const username = `passkey${counter}`;
  await putUser(server, pool, { username, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
  return username;
}

async function accessToken(username: string, clientId = client.clientId): Promise<string> {
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } }),
  );
  return signedIn.AuthenticationResult!.AccessToken!;
}

interface CreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: Array<{ alg: number; type: string }>;
  timeout: number;
  attestation: string;
  excludeCredentials: Array<{ id: string; type: string }>;
  authenticatorSelection: { residentKey: string; userVerification: string };
}

async function startRegistration(token: string): Promise<CreationOptions> {
  const started = await server.anonymous.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
  return started.CredentialCreationOptions as unknown as CreationOptions;
}

function complete(token: string, credential: RegistrationResponseJson): CompleteWebAuthnRegistrationCommand {
  return new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never });
}

/** A user with one registered passkey, its authenticator and its access token. */
async function userWithPasskey(): Promise<{ username: string; token: string; authenticator: SoftwareAuthenticator; credentialId: string }> {
  const username = await newUser();
  const token = await accessToken(username);
  const authenticator = new SoftwareAuthenticator(ORIGIN);
  const credential = authenticator.register(await startRegistration(token));
  await server.anonymous.send(complete(token, credential));
  return { username, token, authenticator, credentialId: credential.id };
}

function userAuth(parameters: Record<string, string>): InitiateAuthCommand {
  return new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: client.clientId, AuthParameters: parameters });
}

function answerPasskey(session: string | undefined, username: string, credential: unknown): RespondToAuthChallengeCommand {
  return new RespondToAuthChallengeCommand({
    ClientId: client.clientId,
    ChallengeName: 'WEB_AUTHN',
    Session: session,
    ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(credential) },
  });
}

interface RequestOptions {
  challenge: string;
  rpId: string;
  timeout: number;
  userVerification: string;
  allowCredentials: Array<{ id: string; type: string }>;
}

async function askForPasskey(username: string): Promise<{ session: string; options: RequestOptions }> {
  const asked = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' }));
  assert.equal(asked.ChallengeName, 'WEB_AUTHN');
  assert.deepEqual(Object.keys(asked.ChallengeParameters!), ['CREDENTIAL_REQUEST_OPTIONS']);
  return { session: asked.Session!, options: JSON.parse(asked.ChallengeParameters!['CREDENTIAL_REQUEST_OPTIONS']!) as RequestOptions };
}

// ---------------------------------------------------------------- registration

test('StartWebAuthnRegistration gives creation options for the pool relying party; Complete registers; List shows it', async () => {
  const username = await newUser();
  const token = await accessToken(username);
  const options = await startRegistration(token);
  assert.deepEqual(options.rp, { id: RP_ID, name: RP_ID });
  assert.equal(options.user.name, username);
  assert.equal(options.user.displayName, `${username}@example.com`);
  assert.equal(options.attestation, 'none');
  assert.deepEqual(
    options.pubKeyCredParams.map((p) => p.alg),
    [-7, -257],
  );
  assert.equal(options.authenticatorSelection.residentKey, 'required');
  assert.equal(options.authenticatorSelection.userVerification, 'preferred');
  assert.deepEqual(options.excludeCredentials, []);
  assert.match(options.challenge, /^[A-Za-z0-9_-]{32,}$/);

  const authenticator = new SoftwareAuthenticator(ORIGIN);
  const credential = authenticator.register(options);
  const completed = await server.anonymous.send(complete(token, credential));
  assert.deepEqual(
    Object.keys(completed).filter((k) => k !== '$metadata'),
    [],
  );

  const listed = await server.anonymous.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
  assert.equal(listed.NextToken, undefined);
  assert.equal(listed.Credentials!.length, 1);
  const [described] = listed.Credentials!;
  assert.equal(described!.CredentialId, credential.id);
  assert.equal(described!.RelyingPartyId, RP_ID);
  assert.equal(described!.AuthenticatorAttachment, 'platform');
  assert.deepEqual(described!.AuthenticatorTransports, ['internal', 'hybrid']);
  assert.equal(typeof described!.FriendlyCredentialName, 'string');
  assert.equal(described!.CreatedAt!.getTime(), Math.floor(clock.now() / 1000) * 1000);

  // The next registration excludes the registered credential.
  const again = await startRegistration(token);
  assert.deepEqual(
    again.excludeCredentials.map((c) => c.id),
    [credential.id],
  );
});

test('a registration from another origin, for another RP ID, or with a bent challenge is refused', async () => {
  const username = await newUser();
  const token = await accessToken(username);
  const authenticator = new SoftwareAuthenticator(ORIGIN);

  const origin = await captureError(async () =>
    server.anonymous.send(complete(token, authenticator.register(await startRegistration(token), { origin: 'https://evil.example.org' }))),
  );
  assert.equal(origin.name, 'WebAuthnOriginNotAllowedException');
  // An origin whose name only ends like the RP ID is not on it.
  const lookalike = await captureError(async () =>
    server.anonymous.send(complete(token, authenticator.register(await startRegistration(token), { origin: 'https://badexample.com' }))),
  );
  assert.equal(lookalike.name, 'WebAuthnOriginNotAllowedException');
  const plainHttp = await captureError(async () =>
    server.anonymous.send(complete(token, authenticator.register(await startRegistration(token), { origin: 'http://app.example.com' }))),
  );
  assert.equal(plainHttp.name, 'WebAuthnOriginNotAllowedException');

  const rp = await captureError(async () =>
    server.anonymous.send(complete(token, authenticator.register(await startRegistration(token), { rpId: 'other.example' }))),
  );
  assert.equal(rp.name, 'WebAuthnRelyingPartyMismatchException');

  const forged = await captureError(async () =>
    server.anonymous.send(
      complete(token, authenticator.register(await startRegistration(token), { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })),
    ),
  );
  assert.equal(forged.name, 'WebAuthnChallengeNotFoundException');

  const listed = await server.anonymous.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
  assert.deepEqual(listed.Credentials, []);

  // A refused answer does not spend the challenge: the right one still registers.
  const kept = await startRegistration(token);
  const refused = await captureError(() =>
    server.anonymous.send(complete(token, authenticator.register(kept, { origin: 'https://evil.example.org' }))),
  );
  assert.equal(refused.name, 'WebAuthnOriginNotAllowedException');
  await server.anonymous.send(complete(token, authenticator.register(kept)));
  assert.equal((await server.anonymous.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials!.length, 1);
});

test('a registration challenge is single-use, expires, and belongs to its user and app client', async () => {
  const username = await newUser();
  const other = await newUser();
  const token = await accessToken(username);
  const authenticator = new SoftwareAuthenticator(ORIGIN);

  const options = await startRegistration(token);
  await server.anonymous.send(complete(token, authenticator.register(options)));
  const replay = await captureError(() => server.anonymous.send(complete(token, authenticator.register(options))));
  assert.equal(replay.name, 'WebAuthnChallengeNotFoundException');

  const stale = await startRegistration(token);
  const expired = await clock.travel(5 * 60_000 + 1000, () =>
    captureError(() => server.anonymous.send(complete(token, authenticator.register(stale)))),
  );
  assert.equal(expired.name, 'WebAuthnChallengeNotFoundException');

  const someoneElse = await captureError(async () =>
    server.anonymous.send(complete(await accessToken(other), authenticator.register(await startRegistration(token)))),
  );
  assert.equal(someoneElse.name, 'WebAuthnChallengeNotFoundException');

  const otherApp = await captureError(async () =>
    server.anonymous.send(
      complete(await accessToken(username, otherClient.clientId), authenticator.register(await startRegistration(token))),
    ),
  );
  assert.equal(otherApp.name, 'WebAuthnClientMismatchException');
});

test('passkey operations need a pool with WEB_AUTHN and a relying party; the pool domain is the default RP ID', async () => {
  const disabled = await createPool(server);
  const disabledClient = await createClient(server, disabled, { ExplicitAuthFlows: [...FLOWS] });
  await putUser(server, disabled, { username: 'nopasskeys' });
  const notEnabled = await captureError(async () =>
    server.anonymous.send(new StartWebAuthnRegistrationCommand({ AccessToken: await accessToken('nopasskeys', disabledClient.clientId) })),
  );
  assert.equal(notEnabled.name, 'WebAuthnNotEnabledException');

  const noDomain = await passkeyPool();
  const noDomainClient = await createClient(server, noDomain, { ExplicitAuthFlows: [...FLOWS] });
  const username = await newUser(noDomain);
  const token = await accessToken(username, noDomainClient.clientId);
  const missing = await captureError(() => server.anonymous.send(new StartWebAuthnRegistrationCommand({ AccessToken: token })));
  assert.equal(missing.name, 'WebAuthnConfigurationMissingException');

  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: noDomain, Domain: `passkeys${counter}` }));
  const options = await startRegistration(token);
  assert.equal(options.rp.id, `passkeys${counter}.auth.localhost`);
});

// ---------------------------------------------------------------- sign-in

test('USER_AUTH with PREFERRED_CHALLENGE WEB_AUTHN signs in with the passkey, once per challenge', async () => {
  const { username, authenticator, credentialId } = await userWithPasskey();
  const { session, options } = await askForPasskey(username);
  assert.equal(options.rpId, RP_ID);
  assert.equal(options.userVerification, 'preferred');
  assert.deepEqual(
    options.allowCredentials.map((c) => [c.id, c.type]),
    [[credentialId, 'public-key']],
  );

  const assertion = authenticator.assert(options);
  const signedIn = await server.anonymous.send(answerPasskey(session, username, assertion));
  assert.deepEqual(signedIn.ChallengeParameters, {});
  assert.equal(decodePayload(signedIn.AuthenticationResult!.AccessToken!)['username'], username);

  const replay = await captureError(() => server.anonymous.send(answerPasskey(session, username, assertion)));
  assert.equal(replay.name, 'NotAuthorizedException');

  const factors = await server.anonymous.send(new GetUserAuthFactorsCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
  assert.deepEqual(factors.ConfiguredUserAuthFactors, ['PASSWORD', 'WEB_AUTHN']);

  // A second sign-in moves the counter on.
  const second = await askForPasskey(username);
  const again = await server.anonymous.send(answerPasskey(second.session, username, authenticator.assert(second.options)));
  assert.ok(again.AuthenticationResult?.AccessToken);
});

test('SELECT_CHALLENGE offers WEB_AUTHN only to users with a passkey, and choosing it asks for one', async () => {
  const { username, authenticator } = await userWithPasskey();
  const without = await newUser();
  const offered = await server.anonymous.send(userAuth({ USERNAME: username }));
  assert.deepEqual(offered.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']);
  const notOffered = await server.anonymous.send(userAuth({ USERNAME: without }));
  assert.deepEqual(notOffered.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);

  const chosen = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: client.clientId,
      ChallengeName: 'SELECT_CHALLENGE',
      Session: offered.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: 'WEB_AUTHN' },
    }),
  );
  assert.equal(chosen.ChallengeName, 'WEB_AUTHN');
  const options = JSON.parse(chosen.ChallengeParameters!['CREDENTIAL_REQUEST_OPTIONS']!) as RequestOptions;
  const signedIn = await server.anonymous.send(answerPasskey(chosen.Session, username, authenticator.assert(options)));
  assert.ok(signedIn.AuthenticationResult?.AccessToken);
});

test('an assertion of another user, origin, RP ID, challenge or counter is refused', async () => {
  const alice = await userWithPasskey();
  const bob = await userWithPasskey();

  const asked = await askForPasskey(alice.username);
  const bobs = await captureError(() =>
    server.anonymous.send(answerPasskey(asked.session, alice.username, bob.authenticator.assert(asked.options))),
  );
  assert.deepEqual([bobs.name, bobs.message], ['NotAuthorizedException', 'Incorrect username or password.']);

  const origin = await captureError(() =>
    server.anonymous.send(
      answerPasskey(
        asked.session,
        alice.username,
        alice.authenticator.assert(asked.options, undefined, { origin: 'https://evil.example.org' }),
      ),
    ),
  );
  assert.equal(origin.name, 'WebAuthnOriginNotAllowedException');

  const rp = await captureError(() =>
    server.anonymous.send(
      answerPasskey(asked.session, alice.username, alice.authenticator.assert(asked.options, undefined, { rpId: 'other.example' })),
    ),
  );
  assert.equal(rp.name, 'WebAuthnRelyingPartyMismatchException');

  const otherChallenge = await askForPasskey(alice.username);
  const wrongChallenge = await captureError(() =>
    server.anonymous.send(answerPasskey(asked.session, alice.username, alice.authenticator.assert(otherChallenge.options))),
  );
  assert.equal(wrongChallenge.name, 'NotAuthorizedException');

  const tampered = await captureError(() => server.anonymous.send(answerPasskey(asked.session, alice.username, { id: 'x' })));
  assert.equal(tampered.name, 'NotAuthorizedException');

  // None of the refusals spent the session: the right passkey still signs in.
  const signedIn = await server.anonymous.send(
    answerPasskey(asked.session, alice.username, alice.authenticator.assert(asked.options, undefined, { counter: 50 })),
  );
  assert.ok(signedIn.AuthenticationResult?.AccessToken);

  // The counter must move forward: an authenticator reporting an old count is a clone.
  const next = await askForPasskey(alice.username);
  for (const counter of [50, 49]) {
    const cloned = await captureError(() =>
      server.anonymous.send(answerPasskey(next.session, alice.username, alice.authenticator.assert(next.options, undefined, { counter }))),
    );
    assert.deepEqual([cloned.name, cloned.message], ['NotAuthorizedException', 'Incorrect username or password.']);
  }
  const moved = await server.anonymous.send(
    answerPasskey(next.session, alice.username, alice.authenticator.assert(next.options, undefined, { counter: 51 })),
  );
  assert.ok(moved.AuthenticationResult?.AccessToken);
});

test('a pool that requires user verification refuses a registration and an assertion without it', async () => {
  const pool = await passkeyPool();
  await configurePasskeys(pool, { RelyingPartyId: RP_ID, UserVerification: 'required' });
  const strictClient = await createClient(server, pool, { ExplicitAuthFlows: [...FLOWS] });
  const username = await newUser(pool);
  const token = await accessToken(username, strictClient.clientId);
  const authenticator = new SoftwareAuthenticator(ORIGIN);
  const options = await startRegistration(token);
  assert.equal(options.authenticatorSelection.userVerification, 'required');
  const unverified = await captureError(() =>
    server.anonymous.send(complete(token, authenticator.register(options, { withoutUserVerification: true }))),
  );
  assert.equal(unverified.name, 'WebAuthnCredentialNotSupportedException');
  await server.anonymous.send(complete(token, authenticator.register(options)));

  const asked = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: strictClient.clientId,
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
    }),
  );
  const requestOptions = JSON.parse(asked.ChallengeParameters!['CREDENTIAL_REQUEST_OPTIONS']!) as RequestOptions;
  assert.equal(requestOptions.userVerification, 'required');
  const refused = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: strictClient.clientId,
        ChallengeName: 'WEB_AUTHN',
        Session: asked.Session,
        ChallengeResponses: {
          USERNAME: username,
          CREDENTIAL: JSON.stringify(authenticator.assert(requestOptions, undefined, { withoutUserVerification: true })),
        },
      }),
    ),
  );
  assert.equal(refused.name, 'NotAuthorizedException');
});

// ---------------------------------------------------------------- listing and deleting

test('DeleteWebAuthnCredential removes only the caller passkey; WEB_AUTHN is then not offered', async () => {
  const alice = await userWithPasskey();
  const bob = await userWithPasskey();
  const notBobs = await captureError(() =>
    server.anonymous.send(new DeleteWebAuthnCredentialCommand({ AccessToken: bob.token, CredentialId: alice.credentialId })),
  );
  assert.equal(notBobs.name, 'ResourceNotFoundException');

  await server.anonymous.send(new DeleteWebAuthnCredentialCommand({ AccessToken: alice.token, CredentialId: alice.credentialId }));
  const listed = await server.anonymous.send(new ListWebAuthnCredentialsCommand({ AccessToken: alice.token }));
  assert.deepEqual(listed.Credentials, []);
  const gone = await captureError(() =>
    server.anonymous.send(new DeleteWebAuthnCredentialCommand({ AccessToken: alice.token, CredentialId: alice.credentialId })),
  );
  assert.equal(gone.name, 'ResourceNotFoundException');

  const offered = await server.anonymous.send(userAuth({ USERNAME: alice.username, PREFERRED_CHALLENGE: 'WEB_AUTHN' }));
  assert.equal(offered.ChallengeName, 'SELECT_CHALLENGE');
  assert.deepEqual(offered.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
});

test('ListWebAuthnCredentials pages with MaxResults and NextToken', async () => {
  const username = await newUser();
  const token = await accessToken(username);
  const authenticator = new SoftwareAuthenticator(ORIGIN);
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const credential = authenticator.register(await startRegistration(token));
    await server.anonymous.send(complete(token, credential));
    ids.push(credential.id);
  }
  const first = await server.anonymous.send(new ListWebAuthnCredentialsCommand({ AccessToken: token, MaxResults: 2 }));
  assert.equal(first.Credentials!.length, 2);
  assert.ok(first.NextToken);
  const second = await server.anonymous.send(
    new ListWebAuthnCredentialsCommand({ AccessToken: token, MaxResults: 2, NextToken: first.NextToken }),
  );
  assert.equal(second.Credentials!.length, 1);
  assert.equal(second.NextToken, undefined);
  assert.deepEqual([...first.Credentials!, ...second.Credentials!].map((c) => c.CredentialId).sort(), ids.sort());
});

test('an unknown name: UserNotFoundException, or with hidden existence a WEB_AUTHN challenge no passkey answers', async () => {
  const legacy = await captureError(() => server.anonymous.send(userAuth({ USERNAME: 'nobody', PREFERRED_CHALLENGE: 'WEB_AUTHN' })));
  assert.equal(legacy.name, 'UserNotFoundException');

  const hiding = await createClient(server, poolId, { ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: 'ENABLED' });
  const asked = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: hiding.clientId,
      AuthParameters: { USERNAME: 'nobody', PREFERRED_CHALLENGE: 'WEB_AUTHN' },
    }),
  );
  assert.equal(asked.ChallengeName, 'WEB_AUTHN');
  const options = JSON.parse(asked.ChallengeParameters!['CREDENTIAL_REQUEST_OPTIONS']!) as RequestOptions;
  assert.deepEqual(options.allowCredentials, []);
  // Someone's real passkey does not sign the name in.
  const { authenticator } = await userWithPasskey();
  const refused = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: hiding.clientId,
        ChallengeName: 'WEB_AUTHN',
        Session: asked.Session,
        ChallengeResponses: { USERNAME: 'nobody', CREDENTIAL: JSON.stringify(authenticator.assert(options)) },
      }),
    ),
  );
  assert.deepEqual([refused.name, refused.message], ['NotAuthorizedException', 'Incorrect username or password.']);
});
