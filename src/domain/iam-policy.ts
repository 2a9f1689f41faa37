import {
  arnMatches,
  conditionHolds,
  isConditionOperator,
  wildcardMatches,
  withPolicyVariables,
  type RequestContext,
} from './iam-conditions.js';

/**
 * IAM policy documents: their checks (what IAM answers MalformedPolicyDocument for) and their
 * evaluation, for the subset Cognate needs: Effect, Action/NotAction, Resource/NotResource,
 * Principal/NotPrincipal (trust policies) and Condition (src/domain/iam-conditions.ts), with an
 * explicit Deny winning over any Allow and no Allow meaning an implicit deny, as
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * describes for one account's identity-based and resource-based policies.
 */

/** A role's trust policy (who may assume it) or a permissions policy (what the role may do). */
export type PolicyKind = 'trust' | 'permissions';

const POLICY_FIELDS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Federated', 'Service', 'CanonicalUser']);
/** IAM's catch-all answer for a document it cannot read as a policy. */
const SYNTAX_ERROR = 'Syntax errors in policy.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or a non-empty array of strings, as Action, Resource and a principal's IDs are written. */
function isStringOrList(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string'));
}

function asList(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : value;
}

function principalProblem(principal: unknown): string | undefined {
  if (principal === '*') return undefined;
  if (!isRecord(principal) || Object.keys(principal).length === 0) return SYNTAX_ERROR;
  const wellFormed = Object.entries(principal).every(([type, ids]) => PRINCIPAL_TYPES.has(type) && isStringOrList(ids));
  return wellFormed ? undefined : SYNTAX_ERROR;
}

function conditionProblem(condition: unknown): string | undefined {
  if (!isRecord(condition)) return SYNTAX_ERROR;
  for (const [operator, keys] of Object.entries(condition)) {
    if (!isConditionOperator(operator) || !isRecord(keys)) return SYNTAX_ERROR;
    const values = Object.values(keys).flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value]));
    if (!values.every((value) => ['string', 'number', 'boolean'].includes(typeof value))) return SYNTAX_ERROR;
  }
  return undefined;
}

/**
 * One statement's fault in IAM's words. IAM names a field a policy of this kind may not have
 * before it asks for the fields it must have.
 */
function statementProblem(statement: unknown, kind: PolicyKind): string | undefined {
  if (!isRecord(statement)) return SYNTAX_ERROR;
  if (Object.keys(statement).some((field) => !STATEMENT_FIELDS.has(field))) return SYNTAX_ERROR;
  if (statement['Effect'] !== 'Allow' && statement['Effect'] !== 'Deny') return SYNTAX_ERROR;
  if (kind === 'trust') {
    for (const field of ['Resource', 'NotResource']) if (field in statement) return `Has prohibited field ${field}`;
  } else if ('Principal' in statement || 'NotPrincipal' in statement) {
    return 'Policy document should not specify a principal.';
  }
  for (const pair of [
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
    ['Principal', 'NotPrincipal'],
  ] as const) {
    if (pair[0] in statement && pair[1] in statement) return SYNTAX_ERROR;
  }
  if (!('Action' in statement) && !('NotAction' in statement)) return 'Policy statement must contain actions.';
  if (kind === 'permissions' && !('Resource' in statement) && !('NotResource' in statement))
    return 'Policy statement must contain resources.';
  // Best guess: the words of IAM's answers for a trust statement without a principal and for an
  // action without a service prefix were not captured.
  if (kind === 'trust' && !('Principal' in statement) && !('NotPrincipal' in statement)) return 'Missing required field Principal';
  const actions = statement['Action'] ?? statement['NotAction'];
  if (!isStringOrList(actions)) return SYNTAX_ERROR;
  if (!asList(actions).every((action) => action === '*' || /^[\w-]+:[\w*?-]+$/.test(action))) {
    return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  }
  const resources = statement['Resource'] ?? statement['NotResource'];
  if (resources !== undefined && !isStringOrList(resources)) return SYNTAX_ERROR;
  const principal = statement['Principal'] ?? statement['NotPrincipal'];
  if (principal !== undefined && principalProblem(principal)) return SYNTAX_ERROR;
  if (statement['Condition'] !== undefined) return conditionProblem(statement['Condition']);
  return undefined;
}

/**
 * Why IAM would refuse `document` as a policy of `kind` (its MalformedPolicyDocument message), or
 * undefined when it is a well-formed policy. The checks are structural (the policy grammar of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html); IAM's commonest
 * faults get its own words, every other its catch-all `Syntax errors in policy.`
 */
export function policyDocumentProblem(document: string, kind: PolicyKind): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return 'This policy contains invalid Json';
  }
  if (!isRecord(parsed) || Object.keys(parsed).some((field) => !POLICY_FIELDS.has(field))) return SYNTAX_ERROR;
  if ('Version' in parsed && parsed['Version'] !== '2012-10-17' && parsed['Version'] !== '2008-10-17') return SYNTAX_ERROR;
  const statements = parsed['Statement'];
  if (statements === undefined || (Array.isArray(statements) && statements.length === 0)) return SYNTAX_ERROR;
  for (const statement of Array.isArray(statements) ? (statements as unknown[]) : [statements]) {
    const problem = statementProblem(statement, kind);
    if (problem) return problem;
  }
  return undefined;
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

/** What evaluation decided, in IAM's terms; `Invalid` for a request IAM could not judge (a malformed action or ARN). */
export interface PolicyDecision {
  readonly allowed: boolean;
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Invalid';
  /** Why, for `Invalid`. */
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

/** A principal as a statement's Principal element names it: its type (`Federated`, `AWS`) and ID. */
interface RequestPrincipal {
  readonly type: string;
  readonly id: string;
}

/** One request as evaluation sees it. */
interface Request {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
}

const ACTION = /^[\w-]+:[\w-]+$/;
const ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? (value as unknown[]).filter((item): item is string => typeof item === 'string') : [];
}

/** Whether a Principal element names the request's principal; `*` and `{"AWS": "*"}` name everyone. */
function principalNamed(element: unknown, principal: RequestPrincipal): boolean {
  if (element === '*') return true;
  if (typeof element !== 'object' || element === null) return false;
  return Object.entries(element as Record<string, unknown>).some(
    ([type, ids]) => (type === 'AWS' && listOf(ids).includes('*')) || (type === principal.type && listOf(ids).includes(principal.id)),
  );
}

/** Whether one statement applies to the request: its principal, action, resource and conditions all match. */
function statementApplies(statement: Record<string, unknown>, request: Request): boolean {
  if ('Principal' in statement && !principalNamed(statement['Principal'], request.principal)) return false;
  if ('NotPrincipal' in statement && principalNamed(statement['NotPrincipal'], request.principal)) return false;
  // Actions ignore case; resources are matched as ARNs, a lone `*` matching every resource.
  const actionMatches = (patterns: unknown): boolean => listOf(patterns).some((pattern) => wildcardMatches(pattern, request.action, true));
  if ('Action' in statement && !actionMatches(statement['Action'])) return false;
  if ('NotAction' in statement && actionMatches(statement['NotAction'])) return false;
  const resourceMatches = (patterns: unknown): boolean =>
    listOf(patterns).some((pattern) => {
      if (pattern === '*') return true;
      const expanded = withPolicyVariables(pattern, request.context);
      return expanded !== undefined && arnMatches(expanded, request.resource);
    });
  if ('Resource' in statement && !resourceMatches(statement['Resource'])) return false;
  if ('NotResource' in statement && resourceMatches(statement['NotResource'])) return false;
  return conditionHolds(statement['Condition'], request.context);
}

function statementsOf(document: string): Record<string, unknown>[] {
  const policy = JSON.parse(document) as { Statement?: unknown };
  const statements = Array.isArray(policy.Statement) ? (policy.Statement as unknown[]) : [policy.Statement];
  return statements.filter((statement): statement is Record<string, unknown> => typeof statement === 'object' && statement !== null);
}

/**
 * IAM's evaluation of one account's policies: an explicit Deny in any of them wins, else an Allow
 * in any of them allows, else the request is implicitly denied. A request that is not one IAM could
 * judge (an action that is not `service:Action`, a resource that is not an ARN) is `Invalid`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
function decide(documents: readonly string[], request: Request): PolicyDecision {
  if (!ACTION.test(request.action)) return { allowed: false, result: 'Invalid', errors: [`${request.action} is not an action`] };
  if (!ARN.test(request.resource)) return { allowed: false, result: 'Invalid', errors: [`${request.resource} is not an ARN`] };
  const applying = documents.flatMap(statementsOf).filter((statement) => statementApplies(statement, request));
  if (applying.some((statement) => statement['Effect'] === 'Deny')) return { allowed: false, result: 'ExplicitlyDenied' };
  if (applying.some((statement) => statement['Effect'] === 'Allow')) return { allowed: true, result: 'Allowed' };
  return { allowed: false, result: 'ImplicitlyDenied' };
}

/**
 * Whether `role`'s trust policy lets Cognito Identity assume it for an identity with these
 * claims: `sts:AssumeRoleWithWebIdentity` by the federated principal
 * `cognito-identity.amazonaws.com`, with the context keys `cognito-identity.amazonaws.com:aud`,
 * `:amr` and `:sub` that the standard trust policy's conditions read.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html
 */
export function trustAllowsWebIdentity(role: EvaluatedRole, claims: WebIdentityClaims): Promise<PolicyDecision> {
  if (!parseRoleArn(role.arn)) return Promise.resolve({ allowed: false, result: 'Invalid', errors: [`${role.arn} is not a role ARN`] });
  return Promise.resolve(
    decide([role.trustPolicy], {
      principal: { type: 'Federated', id: COGNITO_IDENTITY_PRINCIPAL },
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: role.arn,
      context: {
        [`${COGNITO_IDENTITY_PRINCIPAL}:aud`]: claims.aud,
        [`${COGNITO_IDENTITY_PRINCIPAL}:amr`]: claims.amr,
        [`${COGNITO_IDENTITY_PRINCIPAL}:sub`]: claims.sub,
      },
    }),
  );
}

/** One request a role's session makes: `execute-api:Invoke` on an API's ARN, say. */
export interface RoleRequest {
  readonly action: string;
  /** The resource's ARN. */
  readonly resource: string;
  /** The session's name, for the principal `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly sessionName?: string;
  /** Context keys the policies' conditions may read (`aws:SourceIp`, say). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The session's principal tags, which policies read as `aws:PrincipalTag/<key>`. */
  readonly principalTags?: Readonly<Record<string, string>>;
}

/** A session's principal tags as the context keys IAM gives them, `aws:PrincipalTag/<key>`. */
function principalTagKeys(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([key, value]) => [`aws:PrincipalTag/${key}`, value]));
}

/**
 * Whether `role`'s permissions policies (inline and attached) allow `request`; no policy allows
 * nothing. The request's `aws:PrincipalArn` is the role's ARN, as IAM sets it for a role session,
 * and each principal tag of the session is `aws:PrincipalTag/<key>`.
 */
export function roleAllows(role: EvaluatedRole, request: RoleRequest): Promise<PolicyDecision> {
  const parsed = parseRoleArn(role.arn);
  if (!parsed) return Promise.resolve({ allowed: false, result: 'Invalid', errors: [`${role.arn} is not a role ARN`] });
  const principal =
    request.sessionName === undefined ? role.arn : `arn:aws:sts::${parsed.accountId}:assumed-role/${parsed.name}/${request.sessionName}`;
  return Promise.resolve(
    decide(role.permissions, {
      principal: { type: 'AWS', id: principal },
      action: request.action,
      resource: request.resource,
      context: { 'aws:PrincipalArn': role.arn, ...principalTagKeys(request.principalTags), ...request.context },
    }),
  );
}
