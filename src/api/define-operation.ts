import type { OperationName, OperationTypes } from '../generated/cognito-idp/operations.js';
import type { OperationTypes as IdentityOperationTypes } from '../generated/cognito-identity/operations.js';
import type { OperationTypes as StsOperationTypes } from '../generated/sts/operations.js';
import type { OperationTypes as IamOperationTypes } from '../generated/iam/operations.js';
import type { OperationTypes as SyncOperationTypes } from '../generated/cognito-sync/operations.js';
import type { Services } from '../services.js';
import type { Caller } from './signed-caller.js';

/** What an operation's handler gets besides its input. */
export interface OperationContext {
  readonly services: Services;
  readonly requestId: string;
  readonly sourceIp: string;
  /** The verified caller of a SigV4 operation; absent on public operations. */
  readonly caller: Caller | undefined;
}

/** A service's generated `OperationTypes` interface: each operation's input and output shape. */
export type OperationTypeMap<T> = { [N in keyof T]: { input: unknown; output: unknown } };

/** One operation of the service whose generated types are `T`. */
export interface ServiceOperation<T extends OperationTypeMap<T>, N extends keyof T & string> {
  readonly name: N;
  handle(input: T[N]['input'], context: OperationContext): Promise<T[N]['output']>;
}

/** Any one operation of a service: the union over its operation names. */
export type AnyServiceOperation<T extends OperationTypeMap<T>> = { [N in keyof T & string]: ServiceOperation<T, N> }[keyof T & string];

/**
 * The `defineOperation` of one service. Its operations' input has already passed the model's
 * validator; the auth mode comes from the model (src/generated), so an operation cannot get it wrong.
 */
function operationDefiner<T extends OperationTypeMap<T>>() {
  return <N extends keyof T & string>(
    name: N,
    handle: (input: T[N]['input'], context: OperationContext) => Promise<T[N]['output']>,
  ): ServiceOperation<T, N> => ({ name, handle });
}

export type Input<N extends OperationName> = OperationTypes[N]['input'];
export type Output<N extends OperationName> = OperationTypes[N]['output'];

/** A Cognito user pools (cognito-idp) operation. */
export type Operation<N extends OperationName = OperationName> = ServiceOperation<OperationTypes, N>;

/** Any one cognito-idp operation: the union over every operation name. */
export type AnyOperation = AnyServiceOperation<OperationTypes>;

/** Defines one Cognito user pools (cognito-idp) operation. */
export const defineOperation = operationDefiner<OperationTypes>();

/** Any one Cognito Identity (identity pools) operation. */
export type AnyIdentityOperation = AnyServiceOperation<IdentityOperationTypes>;

/** Defines one Cognito Identity (identity pools) operation. */
export const defineIdentityOperation = operationDefiner<IdentityOperationTypes>();

/** Any one STS operation. */
export type AnyStsOperation = AnyServiceOperation<StsOperationTypes>;

/** Defines one STS operation. */
export const defineStsOperation = operationDefiner<StsOperationTypes>();

/** Any one IAM operation. */
export type AnyIamOperation = AnyServiceOperation<IamOperationTypes>;

/** Defines one IAM operation. */
export const defineIamOperation = operationDefiner<IamOperationTypes>();

/** Any one Cognito Sync operation. */
export type AnySyncOperation = AnyServiceOperation<SyncOperationTypes>;

/** Defines one Cognito Sync operation. */
export const defineSyncOperation = operationDefiner<SyncOperationTypes>();
