import * as errors from '../../../generated/cognito-identity/errors.js';
import { ROLE_REFUSAL_ERRORS, chooseRole, principalTagsFromClaims, type RoleChoiceInput } from '../../../domain/role-mapping.js';
import { oidcProviderNameOfArn } from '../../../domain/identity-pools.js';
import type { IdentityPoolRecord } from '../../../store/ports.js';
import type { VerifiedLogin } from './logins.js';
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
 * The principal (session) tags of a sign-in: for each login, its provider's principal tag map (kept
 * under a user pool's Cognito-form name, a social provider's name, or an OIDC provider's ARN),
 * if it set one, applied to the token's claims (src/domain/role-mapping.ts), and the session tags an
 * OpenID token of the pool carried (a developer's PrincipalTags). The first login's tag wins a key
 * two logins map.
 */
export async function sessionPrincipalTags(
  services: Services,
  pool: IdentityPoolRecord,
  logins: readonly VerifiedLogin[],
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for (const login of [...logins].reverse()) {
    const mapKey = (pool.config.OpenIdConnectProviderARNs ?? []).find((arn) => oidcProviderNameOfArn(arn) === login.providerName);
    const map = await services.store.principalTagMaps.get(pool.id, mapKey ?? login.providerName);
    Object.assign(tags, login.sessionTags, principalTagsFromClaims(map, login.claims));
  }
  return tags;
}
