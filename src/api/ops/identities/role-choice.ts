import * as errors from '../../../generated/cognito-identity/errors.js';
import { ROLE_REFUSAL_ERRORS, chooseRole, principalTagsFromClaims, type RoleChoiceInput } from '../../../domain/role-mapping.js';
import type { IdentityPoolRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';

/**
 * The role ARN a sign-in gets from the pool's roles and role mappings (src/domain/role-mapping.ts),
 * or the refusal thrown as AWS's exception: what GetCredentialsForIdentity asks before it issues
 * credentials.
 */
export function requireRole(input: RoleChoiceInput): string {
  const choice = chooseRole(input);
  if ('roleArn' in choice) return choice.roleArn;
  const { type, message } = ROLE_REFUSAL_ERRORS[choice.refusal];
  const Exception =
    type === 'InvalidIdentityPoolConfigurationException' ? errors.InvalidIdentityPoolConfigurationException : errors.NotAuthorizedException;
  throw new Exception(message);
}

/**
 * The principal (session) tags of a sign-in through `providerName` (a user pool's in Cognito's
 * form): the provider's principal tag map, if it set one, applied to the token's claims.
 */
export async function sessionPrincipalTags(
  services: Services,
  pool: IdentityPoolRecord,
  providerName: string,
  claims: Record<string, unknown>,
): Promise<Record<string, string>> {
  return principalTagsFromClaims(await services.store.principalTagMaps.get(pool.id, providerName), claims);
}
