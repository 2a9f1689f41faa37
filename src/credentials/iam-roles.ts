import { fallbackRole, type CognitoAmr, type EvaluatedRole } from '../domain/iam-policy.js';
import type { Services } from '../services.js';

/**
 * The role `roleArn` names, as policy evaluation (src/domain/iam-policy.ts) sees it: a role created
 * through Cognate's IAM API, with its trust policy and every policy it has, inline and attached.
 * An ARN that no role defines is, as documented, a role with Cognito's standard trust policy for
 * the identity pool that asks (for `amr`'s identities: the pool's unauthenticated role is for
 * guests) and no permissions; with `strictIamRoles` it is undefined, for the caller to refuse.
 *
 * For STS's AssumeRoleWithWebIdentity and GetCredentialsForIdentity (trust) and for the gateway
 * (permissions).
 */
export async function roleForEvaluation(
  services: Services,
  roleArn: string,
  identityPoolId: string,
  amr?: CognitoAmr,
): Promise<EvaluatedRole | undefined> {
  const role = await services.store.iam.getRoleByArn(roleArn);
  if (!role) return services.config.strictIamRoles ? undefined : fallbackRole(roleArn, identityPoolId, amr);
  const { inline, attached } = await services.store.iam.rolePolicies(role.name);
  return { arn: role.arn, trustPolicy: role.trustPolicy, permissions: [...inline, ...attached].map((policy) => policy.document) };
}
