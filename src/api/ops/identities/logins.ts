import { NotAuthorizedException, ResourceConflictException } from '../../../generated/cognito-identity/errors.js';
import { regionOfIdentityPool, userPoolOfProviderName, userPoolProviderName } from '../../../domain/identity-pools.js';
import { decodeJwt } from '../../../tokens/jwt.js';
import { poolIdFromIssuer } from '../../../tokens/issuer.js';
import { SESSION_TAGS_CLAIM, openIdIssuer, sessionTagsOfClaim, signedByIdentityService } from '../../../tokens/open-id-token.js';
import { issuedBeforeSignOut, poolThatSigned } from '../../../tokens/pool-signature.js';
import { usernameKey } from '../../../auth/resolve-user.js';
import { newUuid } from '../../../lib/ids.js';
import type { IdentityLogin, IdentityPoolRecord, IdentityRecord, UserPoolRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';
import { NOT_SUPPORTED, federatedLogin, isFederatedProvider } from './federated-logins.js';

/*
 * Cognito Identity's texts for refused logins, as AWS answers them (quoted in public reports):
 * amazon-cognito-identity-js#153 and amplify-js#2067 (a user pool or app client the identity pool
 * does not list), #40 (issuer), #91 (signature), #12 (an access token: no `aud`), amplify-js#3675
 * (expired: now >= exp, in seconds), aws-sdk-android#1431 (not a token at all), aws-sdk-android#52
 * (no logins when guests are off), amazon-cognito-identity-js#68 (logins of another identity).
 */
export const UNAUTHENTICATED = 'Unauthenticated access is not supported for this identity pool.';
/** Logins that prove no login of the identity (amazon-cognito-identity-js#68). */
export const LOGINS_DONT_MATCH = "Logins don't match. Please include at least one valid login for this identity or identity pool.";

/**
 * A login proven by its token, with what role mappings read: the app client the token was issued
 * to (a user pool's mapping key names it) and the token's claims.
 */
export interface VerifiedLogin extends IdentityLogin {
  /** A user pool login's app client; other providers have none. */
  clientId?: string;
  claims: Record<string, unknown>;
  /** Session tags the login's token carried: an OpenID token's (a developer's PrincipalTags). */
  sessionTags?: Record<string, string>;
}

/**
 * The login a `Logins` entry proves. An OIDC or social provider the pool lists is verified by
 * src/api/ops/identities/federated-logins.ts, and so is a SAML provider's response. Otherwise it
 * is a Cognate user pool's ID token for a user pool and app client the identity pool lists, signed
 * with that user pool's keys, under its issuer, unexpired (and, with the provider's
 * ServerSideTokenCheck, its user still signed in); the login is named in Cognito's provider form
 * whichever form the key took. Each failure is NotAuthorizedException with Cognito's text.
 */
async function verifiedLogin(services: Services, pool: IdentityPoolRecord, providerName: string, token: string): Promise<VerifiedLogin> {
  if (isFederatedProvider(pool, providerName)) return federatedLogin(services, pool, providerName, token);
  return userPoolLogin(services, pool, providerName, token);
}

async function userPoolLogin(services: Services, pool: IdentityPoolRecord, providerName: string, token: string): Promise<VerifiedLogin> {
  const userPoolId = userPoolOfProviderName(providerName, services.publicUrl());
  const listed = (pool.config.CognitoIdentityProviders ?? []).filter(
    (provider) => provider.ProviderName !== undefined && userPoolOfProviderName(provider.ProviderName, services.publicUrl()) === userPoolId,
  );
  if (userPoolId === undefined || listed.length === 0) throw new NotAuthorizedException(NOT_SUPPORTED);
  const jwt = decodeJwt(token);
  if (!jwt) throw new NotAuthorizedException('Invalid login token. Not a Cognito token.');
  const issuer = jwt.payload['iss'];
  if (typeof issuer !== 'string' || poolIdFromIssuer(services, issuer) !== userPoolId) {
    throw new NotAuthorizedException("Invalid login token. Issuer doesn't match providerName");
  }
  const userPool = await poolThatSigned(services, jwt, userPoolId);
  if (!userPool) throw new NotAuthorizedException("Invalid login token. Couldn't verify signed token.");
  const { exp, aud, sub } = jwt.payload;
  const now = Math.floor(services.clock.now() / 1000);
  if (typeof exp !== 'number' || now >= exp)
    throw new NotAuthorizedException(`Invalid login token. Token expired: ${now} >= ${String(exp)}`);
  if (typeof aud !== 'string') throw new NotAuthorizedException('Invalid login token. Missing a required claim: aud');
  const client = listed.find((provider) => provider.ClientId === aud);
  if (!client) throw new NotAuthorizedException(NOT_SUPPORTED);
  // Guessed text: an ID token is the only user pool token with an `aud`, so AWS's is not on record.
  if (jwt.payload['token_use'] !== 'id' || typeof sub !== 'string')
    throw new NotAuthorizedException('Invalid login token. Not an ID token.');
  if (client.ServerSideTokenCheck === true) await checkUserStillSignedIn(services, userPool, jwt.payload);
  return { providerName: userPoolProviderName(userPoolId), subject: sub, clientId: aud, claims: jwt.payload };
}

/**
 * ServerSideTokenCheck: the user of an ID token must still exist, be enabled, and not have signed
 * out globally since the token was issued. The text is a best guess: AWS documents only "a 400
 * Not Authorized error".
 */
async function checkUserStillSignedIn(services: Services, userPool: UserPoolRecord, claims: Record<string, unknown>): Promise<void> {
  const username = claims['cognito:username'];
  const user = typeof username === 'string' ? await services.store.users.get(userPool.id, usernameKey(userPool, username)) : undefined;
  const iat = claims['iat'];
  if (!user || user.sub !== claims['sub'] || !user.enabled || typeof iat !== 'number' || issuedBeforeSignOut(user, iat)) {
    throw new NotAuthorizedException('Invalid login token. The user is signed out, disabled or deleted.');
  }
}

/** The logins a `Logins` map proves, each verified; none for an absent or empty map. */
export async function verifiedLogins(
  services: Services,
  pool: IdentityPoolRecord,
  logins: Record<string, string> | undefined,
): Promise<VerifiedLogin[]> {
  const verified: VerifiedLogin[] = [];
  for (const [providerName, token] of Object.entries(logins ?? {})) {
    if (providerName === COGNITO_IDENTITY_PROVIDER) verified.push(...(await openIdTokenLogins(services, pool, token)));
    else verified.push(await verifiedLogin(services, pool, providerName, token));
  }
  return verified;
}

/** Cognito Identity's own provider name: its OpenID tokens as a login, the developer flow's way to credentials. */
export const COGNITO_IDENTITY_PROVIDER = 'cognito-identity.amazonaws.com';

/**
 * The logins an OpenID token of this pool stands for (the developer-authenticated flow: the
 * backend's GetOpenIdTokenForDeveloperIdentity token handed to the app, which AWS takes in
 * GetCredentialsForIdentity under `cognito-identity.amazonaws.com`): signed by the identity service,
 * under its issuer, unexpired, for this pool; it proves the logins its identity (`sub`) has, none
 * for a guest's, each with the token's claims. The texts are those of a user pool token's refusals.
 */
async function openIdTokenLogins(services: Services, pool: IdentityPoolRecord, token: string): Promise<VerifiedLogin[]> {
  const jwt = decodeJwt(token);
  if (!jwt) throw new NotAuthorizedException('Invalid login token. Not a Cognito token.');
  if (jwt.payload['iss'] !== openIdIssuer(services))
    throw new NotAuthorizedException("Invalid login token. Issuer doesn't match providerName");
  if (!(await signedByIdentityService(services, jwt)))
    throw new NotAuthorizedException("Invalid login token. Couldn't verify signed token.");
  const { exp, aud, sub } = jwt.payload;
  const now = Math.floor(services.clock.now() / 1000);
  if (typeof exp !== 'number' || now >= exp)
    throw new NotAuthorizedException(`Invalid login token. Token expired: ${now} >= ${String(exp)}`);
  if (aud !== pool.id) throw new NotAuthorizedException(NOT_SUPPORTED);
  const identity = typeof sub === 'string' ? await services.store.identities.get(sub) : undefined;
  if (!identity || identity.identityPoolId !== pool.id) throw new NotAuthorizedException(LOGINS_DONT_MATCH);
  const sessionTags = sessionTagsOfClaim(jwt.payload[SESSION_TAGS_CLAIM]);
  return identity.logins.map((login) => ({ ...login, claims: jwt.payload, sessionTags }));
}

/**
 * Links to `identity` the logins it lacks (Cognito's "implicit link": a guest identity signed in
 * becomes an authenticated one and keeps its ID). A login that belongs to another identity of the
 * pool is ResourceConflictException (a best-guess text; the model says only that the login is
 * linked to another account).
 */
export async function linkLogins(services: Services, identity: IdentityRecord, logins: IdentityLogin[]): Promise<IdentityRecord> {
  const missing = logins.filter((login) => !hasLogin(identity, login));
  if (missing.length === 0) return identity;
  const now = services.clock.now();
  for (const login of missing) {
    if (!(await services.store.identities.link(identity, login, now))) {
      throw new ResourceConflictException(`The login of ${login.providerName} is already linked to another identity.`);
    }
  }
  return { ...identity, logins: [...identity.logins, ...missing], updatedAt: now };
}

/** Whether the identity has that login linked. */
export function hasLogin(identity: IdentityRecord, login: IdentityLogin): boolean {
  return identity.logins.some((own) => own.providerName === login.providerName && own.subject === login.subject);
}

/**
 * The identity that `logins` sign in as in `pool`, created on first sight, with any of the logins
 * it lacks linked to it; with no logins, a new guest identity when the pool allows guests. One
 * user is one identity however many ask at once: the store refuses a second identity for a login,
 * and the loser reads the winner's.
 */
export async function identityForLogins(services: Services, pool: IdentityPoolRecord, logins: IdentityLogin[]): Promise<IdentityRecord> {
  if (logins.length === 0 && !pool.config.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(UNAUTHENTICATED);
  for (let attempt = 0; attempt < 2; attempt++) {
    for (const login of logins) {
      const known = await services.store.identities.findByLogin(pool.id, login);
      if (known) return linkLogins(services, known, logins);
    }
    const now = services.clock.now();
    const identity: IdentityRecord = {
      id: `${regionOfIdentityPool(pool.id)}:${newUuid()}`,
      identityPoolId: pool.id,
      logins,
      createdAt: now,
      updatedAt: now,
    };
    if (await services.store.identities.create(identity)) return identity;
  }
  throw new Error(`identity pool ${pool.id}: a login was taken and then released while GetId ran`);
}

/**
 * How a caller of GetOpenIdToken or GetCredentialsForIdentity signs in as a stored identity: with
 * `Logins` (verified), of which an identity with logins must present at least one of its own again,
 * the others being linked to it (Cognito's implicit link, which makes a guest an authenticated
 * identity); or with none, as a guest, while the pool still allows guests. Answers the logins
 * proven, none for a guest.
 */
export async function signInAsIdentity(
  services: Services,
  pool: IdentityPoolRecord,
  identity: IdentityRecord,
  logins: Record<string, string> | undefined,
): Promise<VerifiedLogin[]> {
  const proven = await verifiedLogins(services, pool, logins);
  if (identity.logins.length === 0 && proven.length === 0) {
    if (!pool.config.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(UNAUTHENTICATED);
    return proven;
  }
  if (identity.logins.length > 0 && !proven.some((login) => hasLogin(identity, login))) throw new NotAuthorizedException(LOGINS_DONT_MATCH);
  await linkLogins(services, identity, proven);
  return proven;
}
