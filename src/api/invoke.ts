import { operations, type OperationName } from '../generated/cognito-idp/operations.js';
import { CognitoError } from '../errors/cognito-error.js';
import { decodeJwt } from '../tokens/jwt.js';
import { poolIdFromIssuer } from '../tokens/issuer.js';
import type { AuditEntry } from '../audit/audit-log.js';
import type { OperationContext } from './define-operation.js';

/** An operation of any service, as the dispatcher and the pages hold it. */
export interface RunnableOperation {
  readonly name: string;
  handle(input: never, context: OperationContext): Promise<unknown>;
}

/** How the model says an operation is called: signed by an admin (`sigv4`) or public (`none`). */
export type AuthMode = 'sigv4' | 'none';

/** Sign-ins: the engine records them (as `SignIn`), since managed login signs in without an operation. */
const SIGN_INS: ReadonlySet<string> = new Set([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'AdminInitiateAuth',
  'AdminRespondToAuthChallenge',
]);

/** Public operations by which users change their own account: sign-up, passwords, attributes, sign-out, deletion. */
const USER_CHANGES: ReadonlySet<string> = new Set([
  'SignUp',
  'ConfirmSignUp',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ChangePassword',
  'UpdateUserAttributes',
  'DeleteUserAttributes',
  'VerifyUserAttribute',
  'GlobalSignOut',
  'DeleteUser',
]);

/** Admin operations that only read. */
const READS = /^(Admin)?(Get|List|Describe)/;

/**
 * Whether an operation's calls are audit events: admin changes and users' changes to their accounts.
 * `auth` is the operation's mode in its service's model; without it, the name is a cognito-idp one.
 */
export function isAudited(name: string, auth: AuthMode = operations[name as OperationName].auth): boolean {
  if (SIGN_INS.has(name)) return false;
  return auth === 'sigv4' ? !READS.test(name) : USER_CHANGES.has(name);
}

/** Input members that name what was acted on; nothing else of an input reaches the audit log. */
const NAMING_MEMBERS = [
  'PoolName',
  'ClientName',
  'GroupName',
  'ProviderName',
  'Identifier',
  'Domain',
  'IdentityPoolName',
  'TermsName',
  'TermsId',
  'RegionName',
  // IAM's: the role and the policy a change is about (never the policy document).
  'RoleName',
  'PolicyName',
  'PolicyArn',
] as const;

type Members = Readonly<Record<string, unknown>>;

function member(object: unknown, ...path: string[]): string | undefined {
  let value: unknown = object;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Members)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Who and what an operation's call was about: the admin's access key, the pool (user pool or
 * identity pool), client and user its input (or, for creations, its output) names, and for a call
 * with an access token that succeeded (so the token was verified) the token's user and client.
 */
async function subjectOf(input: unknown, output: unknown, context: OperationContext): Promise<Omit<AuditEntry, 'event' | 'outcome'>> {
  const token = output === undefined ? undefined : member(input, 'AccessToken');
  const claims = token === undefined ? undefined : decodeJwt(token)?.payload;
  const claim = (name: string): string | undefined => member(claims, name);
  const iss = claim('iss');
  const detail: Record<string, string> = {};
  for (const name of NAMING_MEMBERS) {
    const value = member(input, name);
    if (value !== undefined) detail[name] = value;
  }
  const clientId = member(input, 'ClientId') ?? member(output, 'UserPoolClient', 'ClientId') ?? claim('client_id');
  // An identity pool's events are its own pool's: its IDs (`<region>:<uuid>`) never look like a user pool's.
  let poolId =
    member(input, 'UserPoolId') ?? member(output, 'UserPool', 'Id') ?? member(input, 'IdentityPoolId') ?? member(output, 'IdentityPoolId');
  if (poolId === undefined && iss !== undefined) poolId = poolIdFromIssuer(context.services, iss);
  // Public operations name only their app client; the handler has just read it.
  if (poolId === undefined && clientId !== undefined) poolId = (await context.services.store.clients.getById(clientId))?.poolId;
  return {
    actor: context.caller?.accessKeyId ?? null,
    poolId: poolId ?? null,
    clientId: clientId ?? null,
    username: member(input, 'Username') ?? claim('username') ?? null,
    sub: member(output, 'UserSub') ?? claim('sub') ?? null,
    sourceIp: context.sourceIp,
    requestId: context.requestId,
    detail,
  };
}

/**
 * Runs an operation's handler on input the model's validator has passed, and records the audit
 * event of an audited operation with its outcome. The one way operations run: the APIs of every
 * service (dispatch) and the managed login pages (runOperation) all come through here. `auth` is
 * the operation's mode in its own service's model (cognito-idp's when absent).
 */
export async function invokeOperation(
  operation: RunnableOperation,
  input: unknown,
  context: OperationContext,
  auth?: AuthMode,
): Promise<unknown> {
  const handle = operation.handle as (input: unknown, context: OperationContext) => Promise<unknown>;
  if (!isAudited(operation.name, auth)) return handle(input, context);
  let output: unknown;
  try {
    output = await handle(input, context);
  } catch (error) {
    const type = error instanceof CognitoError ? error.type : 'InternalErrorException';
    await context.services.audit.record({
      event: operation.name,
      outcome: 'Fail',
      error: type,
      ...(await subjectOf(input, undefined, context)),
    });
    throw error;
  }
  await context.services.audit.record({ event: operation.name, outcome: 'Pass', ...(await subjectOf(input, output, context)) });
  return output;
}
