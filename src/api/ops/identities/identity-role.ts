import { InvalidIdentityPoolConfigurationException } from '../../../generated/cognito-identity/errors.js';
import type { IdentityLogin, IdentityPoolRoles } from '../../../store/ports.js';

/** AWS's text when the pool has no role for the caller (quoted in many public reports). */
const NO_ROLE = 'Invalid identity pool configuration. Check assigned IAM roles for this pool.';

/** How the caller signed in as the identity: the logins proven, none for a guest. */
export interface IdentitySignIn {
  logins: readonly IdentityLogin[];
  /** GetCredentialsForIdentity's CustomRoleArn. */
  customRoleArn: string | undefined;
}

/**
 * The role GetCredentialsForIdentity assumes: the pool's unauthenticated role for a guest, its
 * authenticated role for a signed-in identity; InvalidIdentityPoolConfigurationException when the
 * pool has none. This is the one place that chooses, so role mappings (Token and Rules, with
 * CustomRoleArn choosing among a token's `cognito:roles`) plug in here; until they do, a
 * CustomRoleArn is not used.
 */
export function roleForIdentity(roles: IdentityPoolRoles, signIn: IdentitySignIn): string {
  const role = roles.Roles?.[signIn.logins.length === 0 ? 'unauthenticated' : 'authenticated'];
  if (role === undefined) throw new InvalidIdentityPoolConfigurationException(NO_ROLE);
  return role;
}
