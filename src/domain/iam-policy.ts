import { validateIdentityPolicy, validateTrustPolicy, type ValidationError } from '@cloud-copilot/iam-policy';
import { runSimulation } from '@cloud-copilot/iam-simulate';

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

/** A role as policy evaluation sees it: its ARN, its trust policy and its permissions policies (inline and attached). */
export interface EvaluatedRole {
  readonly arn: string;
  readonly trustPolicy: string;
  readonly permissions: readonly string[];
}

/** What evaluation decided, in IAM's terms; `Invalid` when the library refused the request itself (an unknown action, a malformed ARN). */
export interface PolicyDecision {
  readonly allowed: boolean;
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Invalid';
  /** The library's reasons, for `Invalid`. */
  readonly errors?: readonly string[];
}

/** The claims of a Cognito Identity OpenID token that a trust policy's conditions read. */
export interface WebIdentityClaims {
  /** `cognito-identity.amazonaws.com:aud`: the identity pool ID. */
  readonly aud: string;
  /** `cognito-identity.amazonaws.com:amr`: `authenticated` or `unauthenticated`, then for a signed-in identity the login providers. */
  readonly amr: readonly string[];
  /** `cognito-identity.amazonaws.com:sub`: the identity ID. */
  readonly sub: string;
}

/** Cognito Identity's federated principal, which calls AssumeRoleWithWebIdentity for its identities. */
export const COGNITO_IDENTITY_PRINCIPAL = 'cognito-identity.amazonaws.com';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007e]+\/)?([\w+=,.@-]{1,64})$/;

/** The account and name of a role ARN, or undefined when it is not one. */
export function parseRoleArn(arn: string): { accountId: string; name: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { accountId: match[1]!, name: match[2]! } : undefined;
}

/**
 * The documented fallback for a role ARN that no role definition covers: a role with Cognito's
 * standard trust policy for the identity pool that asks (for its guests or its signed-in
 * identities when `amr` says which the role is for, else for both) and no permissions. Undefined
 * when `arn` is not a role ARN at all. Deployments that want every role defined refuse such ARNs
 * instead (the `strictIamRoles` setting) and never call this.
 */
export function fallbackRole(arn: string, identityPoolId: string, amr?: CognitoAmr): EvaluatedRole | undefined {
  if (!parseRoleArn(arn)) return undefined;
  return { arn, trustPolicy: cognitoTrustPolicy(identityPoolId, amr), permissions: [] };
}

type Simulation = Parameters<typeof runSimulation>[0];

/** Runs one request through the simulator, with no organization policies (Cognate has no AWS Organizations). */
async function decide(simulation: Omit<Simulation, 'serviceControlPolicies' | 'resourceControlPolicies'>): Promise<PolicyDecision> {
  const outcome = await runSimulation({ ...simulation, serviceControlPolicies: [], resourceControlPolicies: [] }, {});
  if (outcome.resultType === 'error') {
    return { allowed: false, result: 'Invalid', errors: [JSON.stringify(outcome.errors)] };
  }
  if (outcome.resultType !== 'single') return { allowed: false, result: 'Invalid', errors: ['the resource is not one resource'] };
  const result = outcome.overallResult;
  return { allowed: result === 'Allowed', result: result === 'Allowed' || result === 'ExplicitlyDenied' ? result : 'ImplicitlyDenied' };
}

/**
 * Whether `role`'s trust policy lets Cognito Identity assume it for an identity with these
 * claims: `sts:AssumeRoleWithWebIdentity` by the federated principal
 * `cognito-identity.amazonaws.com`, with the context keys `cognito-identity.amazonaws.com:aud`,
 * `:amr` and `:sub` that the standard trust policy's conditions read.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html
 */
export async function trustAllowsWebIdentity(role: EvaluatedRole, claims: WebIdentityClaims): Promise<PolicyDecision> {
  // A trust policy that never reads `sub` decides alike for every identity of a pool: one
  // evaluation (about 2 ms of the simulator's CPU) serves them all. Condition keys ignore case.
  const readsSub = role.trustPolicy.toLowerCase().includes(':sub');
  const key = JSON.stringify([role.arn, role.trustPolicy, claims.aud, claims.amr, readsSub ? claims.sub : null]);
  const known = trustDecisions.get(key);
  if (known) return known;
  const decision = await evaluateTrust(role, claims);
  if (trustDecisions.size >= TRUST_DECISIONS_KEPT) trustDecisions.delete(trustDecisions.keys().next().value!);
  trustDecisions.set(key, decision);
  return decision;
}

/** How many trust decisions are remembered; the oldest goes first. */
const TRUST_DECISIONS_KEPT = 1000;
const trustDecisions = new Map<string, PolicyDecision>();

async function evaluateTrust(role: EvaluatedRole, claims: WebIdentityClaims): Promise<PolicyDecision> {
  const parsed = parseRoleArn(role.arn);
  if (!parsed) return { allowed: false, result: 'Invalid', errors: [`${role.arn} is not a role ARN`] };
  return decide({
    request: {
      principal: COGNITO_IDENTITY_PRINCIPAL,
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: role.arn, accountId: parsed.accountId },
      contextVariables: {
        [`${COGNITO_IDENTITY_PRINCIPAL}:aud`]: claims.aud,
        [`${COGNITO_IDENTITY_PRINCIPAL}:amr`]: [...claims.amr],
        [`${COGNITO_IDENTITY_PRINCIPAL}:sub`]: claims.sub,
      },
    },
    identityPolicies: [],
    resourcePolicy: JSON.parse(role.trustPolicy) as unknown,
  });
}

/** One request a role's session makes: `execute-api:Invoke` on an API's ARN, say. */
export interface RoleRequest {
  readonly action: string;
  /** The resource's ARN. */
  readonly resource: string;
  /** The session's name, for the principal `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly sessionName?: string;
  /** Context keys the policies' conditions may read (`aws:SourceIp`, `aws:PrincipalTag/...`). */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** Whether `role`'s permissions policies (inline and attached) allow `request`; no policy allows nothing. */
export async function roleAllows(role: EvaluatedRole, request: RoleRequest): Promise<PolicyDecision> {
  const parsed = parseRoleArn(role.arn);
  if (!parsed) return { allowed: false, result: 'Invalid', errors: [`${role.arn} is not a role ARN`] };
  const principal =
    request.sessionName === undefined ? role.arn : `arn:aws:sts::${parsed.accountId}:assumed-role/${parsed.name}/${request.sessionName}`;
  return decide({
    request: {
      principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resource.split(':')[4] || parsed.accountId },
      contextVariables: { ...request.context },
    },
    identityPolicies: role.permissions.map((document, i) => ({ name: `policy-${i + 1}`, policy: JSON.parse(document) as unknown })),
  });
}
