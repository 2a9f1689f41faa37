import type { Services } from '../services.js';

/** What a role's trust policy is evaluated against: the claims of a Cognito Identity OpenID token. */
export interface WebIdentityClaims {
  /** `cognito-identity.amazonaws.com:aud`: the identity pool. */
  aud: string;
  /** `cognito-identity.amazonaws.com:amr`: `authenticated` or `unauthenticated`, and the providers. */
  amr: readonly string[];
  /** `cognito-identity.amazonaws.com:sub`: the identity. */
  sub: string;
}

/**
 * Whether `roleArn` trusts a Cognito Identity web identity (sts:AssumeRoleWithWebIdentity). This
 * is the one place that decides, where the evaluation of a role's own trust policy plugs in. Until
 * roles are IAM resources, every role has Cognito's standard trust policy: the token's `aud` must
 * be an identity pool of this deployment, and its `amr` must include `unauthenticated` for the
 * pool's unauthenticated role and `authenticated` for any other role (the authenticated role, and
 * the roles of role mappings); a role that is both takes either.
 */
export async function roleTrustsWebIdentity(services: Services, roleArn: string, claims: WebIdentityClaims): Promise<boolean> {
  const roles = await services.store.identityPools.roles(claims.aud);
  if (!roles) return false;
  const guestRole = roles.Roles?.['unauthenticated'] === roleArn;
  const signedInRole = roles.Roles?.['authenticated'] === roleArn || !guestRole;
  return (guestRole && claims.amr.includes('unauthenticated')) || (signedInRole && claims.amr.includes('authenticated'));
}
