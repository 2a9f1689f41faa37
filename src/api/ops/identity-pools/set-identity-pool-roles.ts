import { defineIdentityOperation } from '../../define-operation.js';
import {
  InvalidParameterException,
  NotAuthorizedException,
  ResourceNotFoundException,
} from '../../../generated/cognito-identity/errors.js';
import type { RoleMapping } from '../../../generated/cognito-identity/shapes.js';
import { isRoleMappingProvider, parseRoleArn } from '../../../domain/identity-pool-roles.js';
import type { IdentityPoolRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';
import { requireIdentityPool } from './identity-pool-shape.js';

/** Cognito's limit on a provider's rules (the model allows 400; the API reference says 25). */
const MAX_RULES = 25;

/**
 * A value that is not an IAM role ARN, as Cognito answers it (aws-sdk-js#908, LambdAuth#40):
 * Cognito tries to use the role and is refused.
 */
function checkRoleArn(value: string): void {
  if (!parseRoleArn(value)) throw new NotAuthorizedException(`Access to Role '${value}' is forbidden.`);
}

/**
 * A role mapping must be keyed by a provider the pool lists; AWS's text for that is quoted in
 * aws-cdk#22951. The other texts are Cognate's (AWS's are not on record): a Token or Rules mapping
 * needs AmbiguousRoleResolution, a Rules mapping needs its RulesConfiguration, of at most 25 rules.
 */
function checkRoleMapping(services: Services, pool: IdentityPoolRecord, key: string, mapping: RoleMapping): void {
  if (!isRoleMappingProvider(pool.config, key, services.publicUrl())) {
    throw new InvalidParameterException(`(${key}) is not a valid RoleMapping ProviderName or is not a configured provider.`);
  }
  if (mapping.AmbiguousRoleResolution === undefined) {
    throw new InvalidParameterException(`AmbiguousRoleResolution is required for the ${mapping.Type} role mapping of ${key}.`);
  }
  if (mapping.Type === 'Rules') {
    const rules = mapping.RulesConfiguration?.Rules;
    if (!rules) throw new InvalidParameterException(`RulesConfiguration is required for the Rules role mapping of ${key}.`);
    if (rules.length > MAX_RULES) {
      throw new InvalidParameterException(`The Rules role mapping of ${key} has ${rules.length} rules; at most ${MAX_RULES} are allowed.`);
    }
    for (const rule of rules) checkRoleArn(rule.RoleARN);
  }
}

/**
 * SetIdentityPoolRoles: replaces the pool's authenticated and unauthenticated roles and its role
 * mappings (kept as given, after checking them). Roles left out are removed, as on AWS.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html
 */
export const setIdentityPoolRoles = defineIdentityOperation('SetIdentityPoolRoles', async (input, { services }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  for (const arn of Object.values(input.Roles)) checkRoleArn(arn);
  const mappings = input.RoleMappings ?? {};
  for (const [key, mapping] of Object.entries(mappings)) checkRoleMapping(services, pool, key, mapping);
  const roles = {
    ...(Object.keys(input.Roles).length > 0 ? { Roles: input.Roles } : {}),
    ...(Object.keys(mappings).length > 0 ? { RoleMappings: mappings } : {}),
  };
  if (!(await services.store.identityPools.setRoles(pool.id, roles, services.clock.now()))) {
    throw new ResourceNotFoundException(`IdentityPool '${pool.id}' not found.`);
  }
  return {};
});
