import { createHash, randomBytes } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  VerifiedAuthenticationResponse,
  VerifiedRegistrationResponse,
} from '@simplewebauthn/server';
import {
  InvalidParameterException,
  LimitExceededException,
  NotAuthorizedException,
  WebAuthnChallengeNotFoundException,
  WebAuthnClientMismatchException,
  WebAuthnConfigurationMissingException,
  WebAuthnCredentialNotSupportedException,
  WebAuthnNotEnabledException,
  WebAuthnOriginNotAllowedException,
  WebAuthnRelyingPartyMismatchException,
} from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord, WebAuthnCredentialRecord } from '../store/ports.js';
import { webAuthnConfiguration } from '../domain/webauthn-config.js';
import { newUuid } from '../lib/ids.js';

/*
 * Passkeys (WebAuthn) with @simplewebauthn/server: registration (StartWebAuthnRegistration,
 * CompleteWebAuthnRegistration) and the WEB_AUTHN first factor of USER_AUTH. A pool's relying
 * party is its WebAuthnConfiguration.RelyingPartyId, or else its domain; a credential answers only
 * for that RP ID, from an origin on it, for its own user, with a sign counter that moves forward.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-authentication-flow-methods-passkey
 */

/** Passkeys one user may register (Cognito's quota). */
export const MAX_CREDENTIALS_PER_USER = 20;
/** How long a registration or sign-in ceremony may take, as the options' `timeout` says. */
const CEREMONY_MS = 5 * 60_000;
/** The sealer context of registration challenges, so no other sealed value can pass for one. */
const REGISTRATION_CONTEXT = 'webauthn-registration';
/** Algorithms Cognito accepts: ES256 and RS256. */
const ALGORITHMS = [-7, -257];

/** @simplewebauthn/server, loaded by the first ceremony: it is the heaviest import of the server's start-up, and most pools never use passkeys. */
const simpleWebAuthn = () => import('@simplewebauthn/server');

/** Whether the pool offers passkeys: WEB_AUTHN among its SignInPolicy's first factors. */
export function passkeysEnabled(pool: UserPoolRecord): boolean {
  return (pool.config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? []).includes('WEB_AUTHN');
}

/** Refuses the passkey operations of a pool that does not offer passkeys (best-guess wording). */
export function assertPasskeysEnabled(pool: UserPoolRecord): void {
  if (!passkeysEnabled(pool)) throw new WebAuthnNotEnabledException('WebAuthn is not enabled for this user pool.');
}

/**
 * The pool's relying party ID: WebAuthnConfiguration.RelyingPartyId, else its custom domain, else
 * its prefix domain under the configured login domain; without any,
 * WebAuthnConfigurationMissingException.
 */
export async function relyingPartyId(services: Services, pool: UserPoolRecord): Promise<string> {
  const configured = webAuthnConfiguration(pool.config).RelyingPartyId;
  if (configured !== undefined) return configured;
  const domains = await services.store.domains.listForPool(pool.id);
  const custom = domains.find((d) => d.kind === 'custom');
  if (custom) return custom.domain.toLowerCase();
  const prefix = domains.find((d) => d.kind === 'prefix');
  if (prefix) return `${prefix.domain}.${services.config.loginDomain}`.toLowerCase();
  throw new WebAuthnConfigurationMissingException('The user pool has no relying party ID and no domain for passkeys.');
}

/**
 * Whether a ceremony's origin belongs to the relying party: its host is the RP ID or a subdomain
 * of it, over https (plain http only on localhost, the one insecure origin browsers run WebAuthn on).
 */
function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  const onRp = host === rpId || host.endsWith(`.${rpId}`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && host === 'localhost');
  return onRp && secure && url.origin === origin;
}

/** The client data of a ceremony's answer: its challenge and origin, before any signature is checked. */
function clientData(credential: { response?: { clientDataJSON?: unknown } }): { challenge: string; origin: string } {
  const encoded = credential.response?.clientDataJSON;
  if (typeof encoded !== 'string') throw badCredential();
  try {
    const parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof parsed['challenge'] === 'string' && typeof parsed['origin'] === 'string') {
      return { challenge: parsed['challenge'], origin: parsed['origin'] };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw badCredential();
}

function badCredential(): InvalidParameterException {
  return new InvalidParameterException('The credential is malformed.');
}

/**
 * The origin of an answer, refused unless it is on the relying party and, for a ceremony that ran
 * on a managed-login page, unless it is that page's origin.
 */
function allowedOrigin(origin: string, rpId: string, pageOrigin: string | undefined): string {
  if (!originAllowed(origin, rpId) || (pageOrigin !== undefined && origin !== pageOrigin))
    throw new WebAuthnOriginNotAllowedException(`The origin ${origin} is not allowed for the relying party.`);
  return origin;
}

/** Refuses authenticator data made for another relying party (its first 32 bytes hash the RP ID). */
function assertRelyingParty(authData: Uint8Array, rpId: string): void {
  const expected = createHash('sha256').update(rpId).digest();
  if (authData.length < 32 || !expected.equals(Buffer.from(authData.subarray(0, 32)))) {
    throw new WebAuthnRelyingPartyMismatchException('The credential is for a different relying party.');
  }
}

/** What a registration challenge carries, sealed: whose ceremony it is and until when. */
interface RegistrationChallenge {
  poolId: string;
  sub: string;
  clientId: string;
  expiresAt: number;
  nonce: string;
}

function isRegistrationChallenge(value: unknown): value is RegistrationChallenge {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['poolId'] === 'string' &&
    typeof v['sub'] === 'string' &&
    typeof v['clientId'] === 'string' &&
    typeof v['expiresAt'] === 'number' &&
    typeof v['nonce'] === 'string'
  );
}

function challengeNotFound(): WebAuthnChallengeNotFoundException {
  return new WebAuthnChallengeNotFoundException('The registration challenge was not found or has expired.');
}

/** Who a registration is for: the access token's (or managed-login session's) pool, user and app client. */
export interface RegistrationCaller {
  readonly pool: UserPoolRecord;
  readonly user: UserRecord;
  readonly clientId: string;
  /** The managed-login page's origin, when the ceremony runs there: the answer must come from it. */
  readonly pageOrigin?: string | undefined;
}

/**
 * StartWebAuthnRegistration's CredentialCreationOptions: a resident ("discoverable") ES256 or
 * RS256 key for the relying party, "none" attestation, the pool's user verification, and the
 * user's registered credentials excluded. The challenge is the sealed ceremony itself, so any node
 * can finish it and nothing is stored until it completes.
 */
export async function startRegistration(services: Services, caller: RegistrationCaller): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { pool, user } = caller;
  assertPasskeysEnabled(pool);
  const rpId = await relyingPartyId(services, pool);
  const existing = await services.store.webAuthnCredentials.listForUser(pool.id, user.usernameKey, MAX_CREDENTIALS_PER_USER);
  if (existing.length >= MAX_CREDENTIALS_PER_USER) throw tooManyCredentials();
  const state: RegistrationChallenge = {
    poolId: pool.id,
    sub: user.sub,
    clientId: caller.clientId,
    expiresAt: services.clock.now() + CEREMONY_MS,
    nonce: newUuid(),
  };
  const challenge = Buffer.from(services.sealer.seal(JSON.stringify(state), REGISTRATION_CONTEXT), 'utf8');
  const { generateRegistrationOptions } = await simpleWebAuthn();
  return generateRegistrationOptions({
    rpName: rpId,
    rpID: rpId,
    userName: user.username,
    userID: Buffer.from(user.sub, 'utf8'),
    userDisplayName: user.attributes['email'] ?? user.username,
    challenge,
    timeout: CEREMONY_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports as AuthenticatorTransport[] })),
    authenticatorSelection: {
      residentKey: 'required',
      userVerification: webAuthnConfiguration(pool.config).UserVerification ?? 'preferred',
    },
    supportedAlgorithmIDs: ALGORITHMS,
  });
}

function tooManyCredentials(): LimitExceededException {
  return new LimitExceededException(`A user can register at most ${MAX_CREDENTIALS_PER_USER} passkeys.`);
}

/** Opens a registration challenge the browser echoed, for this pool, user and app client; returns its nonce. */
function openRegistrationChallenge(services: Services, caller: RegistrationCaller, challenge: string): string {
  const opened = services.sealer.openString(Buffer.from(challenge, 'base64url').toString('utf8'), REGISTRATION_CONTEXT);
  let state: unknown;
  try {
    state = opened === null ? undefined : JSON.parse(opened);
  } catch {
    state = undefined;
  }
  if (!isRegistrationChallenge(state) || state.poolId !== caller.pool.id || state.sub !== caller.user.sub) throw challengeNotFound();
  if (state.clientId !== caller.clientId) {
    throw new WebAuthnClientMismatchException('The access token is for a different app client than the registration started with.');
  }
  if (services.clock.now() >= state.expiresAt) throw challengeNotFound();
  return state.nonce;
}

/** Spends a registration challenge once its answer has verified; a second use is refused, on any node. */
async function spendRegistrationChallenge(services: Services, nonce: string): Promise<void> {
  const uses = await services.store.rateCounters.hitSliding(`webauthn-registration:${nonce}`, CEREMONY_MS * 2, services.clock.now());
  if (uses > 1) throw challengeNotFound();
}

/**
 * CompleteWebAuthnRegistration: checks the browser's RegistrationResponseJSON against the
 * challenge of StartWebAuthnRegistration (this user, this app client, not expired), the relying
 * party and its origins, spends the challenge (a refused answer leaves it usable), then stores the
 * credential's public key and counter.
 */
export async function completeRegistration(services: Services, caller: RegistrationCaller, credential: unknown): Promise<void> {
  const { pool, user } = caller;
  assertPasskeysEnabled(pool);
  if (typeof credential !== 'object' || credential === null) throw badCredential();
  const response = credential as RegistrationResponseJSON;
  const rpId = await relyingPartyId(services, pool);
  const { challenge, origin } = clientData(response);
  const nonce = openRegistrationChallenge(services, caller, challenge);
  const expectedOrigin = allowedOrigin(origin, rpId, caller.pageOrigin);
  const userVerification = webAuthnConfiguration(pool.config).UserVerification;
  const { verifyRegistrationResponse } = await simpleWebAuthn();
  let verified: VerifiedRegistrationResponse;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin,
      expectedRPID: rpId,
      requireUserVerification: userVerification === 'required',
      supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (error) {
    throw registrationFailure(error);
  }
  const info = verified.registrationInfo;
  if (!verified.verified || !info) throw new WebAuthnCredentialNotSupportedException('The passkey could not be verified.');
  await spendRegistrationChallenge(services, nonce);
  if ((await services.store.webAuthnCredentials.countForUser(pool.id, user.usernameKey)) >= MAX_CREDENTIALS_PER_USER) {
    throw tooManyCredentials();
  }
  const record: WebAuthnCredentialRecord = {
    poolId: pool.id,
    credentialId: info.credential.id,
    usernameKey: user.usernameKey,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    signCount: info.credential.counter,
    rpId,
    friendlyName: FRIENDLY_NAME,
    attachment: attachmentOf(response.authenticatorAttachment),
    transports: transportsOf(response.response.transports),
    createdAt: services.clock.now(),
  };
  // Best-guess wording: a credential already registered in the pool (by anyone) is refused.
  if (!(await services.store.webAuthnCredentials.insert(record))) throw new InvalidParameterException('The passkey is already registered.');
}

/** The browser's authenticatorAttachment, kept only when it is one of WebAuthn's two values. */
function attachmentOf(value: unknown): string | null {
  return value === 'platform' || value === 'cross-platform' ? value : null;
}

/** The browser's transports hint, strings only and a sane number of them. */
function transportsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string' && t.length <= 32).slice(0, 8) : [];
}

/** The name a registered passkey is listed under; Cognate does not look authenticators up by AAGUID. */
const FRIENDLY_NAME = 'Passkey';

/** What a failed library check means in Cognito's terms: a relying party or an unsupported credential. */
function registrationFailure(error: unknown): Error {
  const message = error instanceof Error ? error.message : '';
  if (/RP ID/i.test(message)) return new WebAuthnRelyingPartyMismatchException('The credential is for a different relying party.');
  if (/user verif/i.test(message)) return new WebAuthnCredentialNotSupportedException('The passkey did not verify the user.');
  if (/algorithm|attestation|fmt|public key/i.test(message))
    return new WebAuthnCredentialNotSupportedException('The passkey is not supported.');
  return badCredential();
}

/** The user's credentials for the WEB_AUTHN challenge (at most the quota). */
export function credentialsOf(services: Services, user: UserRecord): Promise<WebAuthnCredentialRecord[]> {
  return services.store.webAuthnCredentials.listForUser(user.poolId, user.usernameKey, MAX_CREDENTIALS_PER_USER);
}

/**
 * The WEB_AUTHN challenge's CREDENTIAL_REQUEST_OPTIONS: a fresh random challenge (kept in the
 * sealed session), the relying party, the user's credentials and the pool's user verification.
 */
export async function credentialRequestOptions(
  services: Services,
  pool: UserPoolRecord,
  credentials: readonly WebAuthnCredentialRecord[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rpID = await relyingPartyId(services, pool);
  const { generateAuthenticationOptions } = await simpleWebAuthn();
  return generateAuthenticationOptions({
    rpID,
    challenge: randomBytes(32),
    timeout: CEREMONY_MS,
    allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: c.transports as AuthenticatorTransport[] })),
    userVerification: webAuthnConfiguration(pool.config).UserVerification ?? 'preferred',
  });
}

function passkeyRefused(): NotAuthorizedException {
  return new NotAuthorizedException('Incorrect username or password.');
}

/**
 * Checks the WEB_AUTHN answer (`CREDENTIAL`, an AuthenticationResponseJSON): a credential of this
 * user (none passes for an unknown name) for the pool's relying party, from an origin on it (the
 * managed-login page's own, when it ran there), signing the session's challenge, with
 * user verification when the pool requires it, and a counter above the stored one (moved in one
 * statement, so a replayed assertion cannot pass twice). Returns the user it signs in.
 */
export async function verifyAssertion(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord | undefined,
  request: { challenge: string; credential: string; pageOrigin?: string | undefined },
): Promise<UserRecord> {
  let response: AuthenticationResponseJSON;
  try {
    response = JSON.parse(request.credential) as AuthenticationResponseJSON;
  } catch {
    throw badCredential();
  }
  if (typeof response !== 'object' || response === null || typeof response.id !== 'string') throw badCredential();
  const stored = await services.store.webAuthnCredentials.get(pool.id, response.id);
  if (!stored || !user || stored.usernameKey !== user.usernameKey) throw passkeyRefused();
  const rpId = await relyingPartyId(services, pool);
  if (stored.rpId !== rpId) throw new WebAuthnRelyingPartyMismatchException('The credential is for a different relying party.');
  const { origin } = clientData(response);
  const expectedOrigin = allowedOrigin(origin, rpId, request.pageOrigin);
  const authData =
    typeof response.response?.authenticatorData === 'string' ? Buffer.from(response.response.authenticatorData, 'base64url') : undefined;
  if (!authData) throw badCredential();
  assertRelyingParty(authData, rpId);
  const { verifyAuthenticationResponse } = await simpleWebAuthn();
  let verified: VerifiedAuthenticationResponse;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: request.challenge,
      expectedOrigin,
      expectedRPID: rpId,
      credential: {
        id: stored.credentialId,
        publicKey: Buffer.from(stored.publicKey, 'base64url'),
        counter: stored.signCount,
        transports: stored.transports as AuthenticatorTransport[],
      },
      requireUserVerification: webAuthnConfiguration(pool.config).UserVerification === 'required',
    });
  } catch {
    throw passkeyRefused();
  }
  if (!verified.verified) throw passkeyRefused();
  const next = verified.authenticationInfo.newCounter;
  // Authenticators that keep no counter report 0 every time; the others must move it forward.
  if (next === 0 && stored.signCount === 0) return user;
  if (!(await services.store.webAuthnCredentials.advanceSignCount(pool.id, stored.credentialId, stored.signCount, next)))
    throw passkeyRefused();
  return user;
}
