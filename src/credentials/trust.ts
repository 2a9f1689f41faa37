import { roleForEvaluation } from './iam-roles.js';
import { trustAllowsWebIdentity, type CognitoAmr, type WebIdentityClaims } from '../domain/iam-policy.js';
import type { Services } from '../services.js';
import type { IdentityPoolRoles } from '../store/ports.js';

export type { WebIdentityClaims };

/**
 * Whether `roleArn` trusts a Cognito Identity web identity (sts:AssumeRoleWithWebIdentity), for
 * AssumeRoleWithWebIdentity and for the credentials GetCredentialsForIdentity issues. The token's
 * `aud` must be an identity pool of this deployment. A role created through Cognate's IAM API is
 * judged by its own trust policy (src/domain/iam-policy.ts); any other role ARN is, as documented,
 * a role with Cognito's standard trust policy for that pool (`amr` `unauthenticated` for the pool's
 * unauthenticated role, `authenticated` for any other role; either for a role that is both), or
 * refused under `strictIamRoles`.
 */
export async function roleTrustsWebIdentity(
  services: Services,
  roleArn: string,
  claims: WebIdentityClaims,
  /** The roles of the pool `claims.aud` names, when the caller has read them already. */
  poolRoles?: IdentityPoolRoles,
): Promise<boolean> {
  const roles = poolRoles ?? (await services.store.identityPools.roles(claims.aud));
  if (!roles) return false;
  const guestRole = roles.Roles?.['unauthenticated'] === roleArn;
  const signedInRole = roles.Roles?.['authenticated'] === roleArn || !guestRole;
  const standardFor: CognitoAmr | undefined = guestRole && signedInRole ? undefined : guestRole ? 'unauthenticated' : 'authenticated';
  const role = await roleForEvaluation(services, roleArn, claims.aud, standardFor);
  return role !== undefined && (await trustAllowsWebIdentity(role, claims)).allowed;
}
