import { validateIdentityPolicy, validateTrustPolicy, type ValidationError } from '@cloud-copilot/iam-policy';

/**
 * IAM policy documents: their checks (what IAM answers MalformedPolicyDocument for) and their
 * evaluation. Both go through cloud-copilot's maintained IAM libraries (@cloud-copilot/iam-policy
 * parses and validates, @cloud-copilot/iam-simulate evaluates) rather than rules of our own.
 */

/** A role's trust policy (who may assume it) or a permissions policy (what the role may do). */
export type PolicyKind = 'trust' | 'permissions';

/**
 * IAM's words for the commonest faults; anything else the library finds is IAM's catch-all
 * `Syntax errors in policy.`
 */
function iamMessage(kind: PolicyKind, problem: ValidationError): string {
  if (problem.message.startsWith('Resource is not allowed') || problem.message.startsWith('NotResource is not allowed')) {
    return `Has prohibited field ${problem.message.split(' ')[0]}`;
  }
  if (kind === 'permissions' && /^(Not)?Principal is not allowed/.test(problem.message)) {
    return 'Policy document should not specify a principal.';
  }
  if (problem.message.startsWith('One of Resource or NotResource is required')) return 'Policy statement must contain resources.';
  if (problem.message.startsWith('One of Action or NotAction is required')) return 'Policy statement must contain actions.';
  return 'Syntax errors in policy.';
}

/**
 * Why IAM would refuse `document` as a policy of `kind` (its MalformedPolicyDocument message), or
 * undefined when it is a well-formed policy.
 */
export function policyDocumentProblem(document: string, kind: PolicyKind): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return 'This policy contains invalid Json';
  }
  const problems = kind === 'trust' ? validateTrustPolicy(parsed) : validateIdentityPolicy(parsed);
  return problems.length === 0 ? undefined : iamMessage(kind, problems[0]!);
}

/** Which of an identity pool's identities a role is for: the `amr` value Cognito's tokens carry. */
export type CognitoAmr = 'authenticated' | 'unauthenticated';

/**
 * Cognito's standard trust policy for an identity pool's role: the federated principal
 * `cognito-identity.amazonaws.com` may call `sts:AssumeRoleWithWebIdentity` with a token of this
 * pool (`aud`) and, when `amr` is given, only for signed-in or only for guest identities.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html
 */
export function cognitoTrustPolicy(identityPoolId: string, amr?: CognitoAmr): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
          ...(amr === undefined ? {} : { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr } }),
        },
      },
    ],
  });
}
