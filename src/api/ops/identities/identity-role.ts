import type { IdentityPoolRoles } from '../../../store/ports.js';
import type { VerifiedLogin } from './logins.js';
import { requireRole } from './role-choice.js';
import { ROLE_REFUSAL_ERRORS, roleMappingKey } from '../../../domain/role-mapping.js';

/** AWS's text when the pool has no role for the caller, or its role refuses the identity. */
export const NO_ROLE = ROLE_REFUSAL_ERRORS['no-role'].message;

/** How the caller signed in as the identity: the logins proven, none for a guest. */
export interface IdentitySignIn {
  logins: readonly VerifiedLogin[];
  /** GetCredentialsForIdentity's CustomRoleArn. */
  customRoleArn: string | undefined;
}

/**
 * The role GetCredentialsForIdentity assumes: for a guest the pool's unauthenticated role; for a
 * signed-in identity the role its login's role mapping gives (Token: the token's
 * `cognito:preferred_role`, or the CustomRoleArn among its `cognito:roles`; Rules: the first rule its
 * claims match; else AmbiguousRoleResolution), or the pool's authenticated role when the login's
 * provider has no mapping (src/domain/role-mapping.ts decides; refusals are AWS's exceptions). Of
 * several logins, the first with a role mapping is the one mapped, else the first.
 */
export function roleForIdentity(roles: IdentityPoolRoles, signIn: IdentitySignIn): string {
  const keyOf = (login: VerifiedLogin): string => roleMappingKey(login.providerName, login.clientId);
  const mapped = signIn.logins.find((login) => roles.RoleMappings?.[keyOf(login)] !== undefined) ?? signIn.logins[0];
  return requireRole({
    roles: roles.Roles,
    roleMappings: roles.RoleMappings,
    mappingKey: mapped === undefined ? undefined : keyOf(mapped),
    claims: mapped?.claims ?? {},
    customRoleArn: signIn.customRoleArn,
  });
}
