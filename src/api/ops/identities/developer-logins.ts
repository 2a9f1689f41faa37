import { NotAuthorizedException, ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';
import type { IdentityLogin, IdentityPoolRecord, IdentityRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';
import { requireIdentity } from './identity-shape.js';

/*
 * Developer-authenticated identities: the app's backend vouches for its own users under the
 * pool's DeveloperProviderName. Each developer user identifier is stored as a login of the
 * identity, under the provider's name with the identifier as its subject, so one identifier is
 * one identity of the pool however many nodes race, exactly as for tokens' subjects.
 *
 * Texts: a developer provider the pool does not have is quoted in danilop/LambdAuth#32; the
 * others are best guesses, AWS's own are not on record.
 */

/** A developer provider the pool does not have (danilop/LambdAuth#32). */
export const UNSUPPORTED_DEVELOPER_PROVIDER = 'This identity pool does not support the specified developer provider';

/** The pool's DeveloperProviderName when it is `providerName`; else NotAuthorizedException. */
export function requireDeveloperProvider(pool: IdentityPoolRecord, providerName: string | undefined): string {
  const own = pool.config.DeveloperProviderName;
  if (own === undefined || providerName !== own) throw new NotAuthorizedException(UNSUPPORTED_DEVELOPER_PROVIDER);
  return own;
}

/** The login a developer user identifier is stored as. */
export function developerLogin(providerName: string, userIdentifier: string): IdentityLogin {
  return { providerName, subject: userIdentifier };
}

/** The developer user identifiers linked to an identity, in order. */
export function developerUserIdentifiers(identity: IdentityRecord, providerName: string): string[] {
  return identity.logins
    .filter((login) => login.providerName === providerName)
    .map((login) => login.subject)
    .sort();
}

/**
 * The identity of that ID in that pool; ResourceNotFoundException for an unknown ID or one of
 * another pool, which this pool's developer cannot see.
 */
export async function requireIdentityOfPool(services: Services, pool: IdentityPoolRecord, identityId: string): Promise<IdentityRecord> {
  const identity = await requireIdentity(services, identityId);
  if (identity.identityPoolId !== pool.id) throw new ResourceNotFoundException(`Identity '${identityId}' not found.`);
  return identity;
}

/** The identity a developer user identifier belongs to; ResourceNotFoundException when none. */
export async function requireDeveloperIdentity(
  services: Services,
  pool: IdentityPoolRecord,
  providerName: string,
  userIdentifier: string,
): Promise<IdentityRecord> {
  const identity = await services.store.identities.findByLogin(pool.id, developerLogin(providerName, userIdentifier));
  if (!identity) throw new ResourceNotFoundException(`Developer user identifier '${userIdentifier}' not found.`);
  return identity;
}

/**
 * An identity's `amr` for the logins it signed in with: `unauthenticated` for a guest (none), else
 * `authenticated`, then for each login its provider's name and an entry naming the user: a developer
 * login's is `<provider>:<identityPoolId>:<userIdentifier>` (a token AWS issued, quoted decoded in
 * aws/aws-sdk-net#420), a user pool login's `<provider>:CognitoSignIn:<sub>`, an OIDC or social
 * login's `<provider>:<subject>` (a guess: AWS's form for these is not on record).
 */
export function amrOfLogins(pool: IdentityPoolRecord, logins: readonly IdentityLogin[]): string[] {
  if (logins.length === 0) return ['unauthenticated'];
  const developer = pool.config.DeveloperProviderName;
  return [
    'authenticated',
    ...logins.flatMap((login) => [
      login.providerName,
      login.providerName === developer
        ? `${login.providerName}:${pool.id}:${login.subject}`
        : login.providerName.startsWith('cognito-idp.')
          ? `${login.providerName}:CognitoSignIn:${login.subject}`
          : `${login.providerName}:${login.subject}`,
    ]),
  ];
}
